//! Not a test: a measuring tool for people. Prints every text run and rule
//! of one page with positions in mm, e.g.
//! `DUMP=content/2019-315 PAGE=1 cargo test --test dump -- --ignored --nocapture`.

mod common;
#[test]
#[ignore]
fn dump_page_layout() {
    let dir = std::env::var("DUMP").unwrap();
    let page: usize = std::env::var("PAGE").unwrap().parse().unwrap();
    let b = common::build_dir(std::path::Path::new(&dir));
    let l = common::layout(&b.doc);
    for ln in l.lines(page) {
        for r in ln {
            println!(
                "{:7.2} {:7.2} {:7.2} {:5.1} {:12} {:?}",
                r.x,
                r.right(),
                r.em_top(),
                r.size_pt,
                r.family,
                r.text
            );
        }
    }
    for r in l.rules.iter().filter(|r| r.page == page) {
        println!(
            "rule x={:.2} y={:.2} w={:.2} t={:.2}",
            r.x, r.y, r.width, r.thickness
        );
    }
}
