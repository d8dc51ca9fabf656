//! A measuring tool for people: prints every text run and rule of one page
//! with positions in mm, e.g.
//! `cargo run --example dump -- content/2019-315 1`.

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(page)) = (args.next(), args.next()) else {
        eprintln!("用法：cargo run --example dump -- <内容文件夹> <页码>");
        std::process::exit(2);
    };
    let page: usize = page.parse().expect("页码是数字");
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
