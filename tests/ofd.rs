//! OFD (issue 18): the package gongwen writes read back with a zip reader
//! and the XML as text: every page, its size, its text (equal to the PDF's
//! laid-out text), the red separator and the mark where the PDF has them,
//! the fonts parseable with the glyphs the text uses, and byte-identical on
//! a second write. (The Python reader easyofd was also run on it by hand;
//! see the README.)

use std::io::Read;

use crate::common::*;

fn package(files: &[std::path::PathBuf]) -> Vec<u8> {
    let ofd = files
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "ofd"))
        .unwrap();
    std::fs::read(ofd).unwrap()
}

fn part(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

fn text_part(bytes: &[u8], name: &str) -> String {
    String::from_utf8(part(bytes, name)).unwrap()
}

fn attr(tag: &str, name: &str) -> String {
    let re = regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#)).unwrap();
    re.captures(tag)
        .map(|c| c[1].to_string())
        .unwrap_or_default()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Validates every XML part of an OFD package against the GB/T 33190
/// schemas (tests/ofd-schema) with xmllint: OFD.xml, each Document.xml,
/// each page's Content.xml and each resource file; a part none of them
/// covers fails. Without xmllint (outside CI) it says so and checks nothing.
fn valid(bytes: &[u8], what: &str) {
    let probe = std::process::Command::new("xmllint")
        .arg("--version")
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        let why = "xmllint is not installed: apt-get install libxml2-utils";
        if std::env::var_os("GONGWEN_CI").is_some() {
            panic!("{why}");
        }
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut by_schema: std::collections::BTreeMap<&str, Vec<std::path::PathBuf>> =
        Default::default();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        if !name.ends_with(".xml") {
            continue;
        }
        let schema = match name.rsplit('/').next().unwrap() {
            "OFD.xml" => "OFD.xsd",
            "Document.xml" => "Document.xsd",
            "Content.xml" => "Page.xsd",
            n if n.ends_with("Res.xml") => "Res.xsd",
            other => panic!("{what}: no schema for the part {other}"),
        };
        let path = dir.path().join(name.replace('/', "__"));
        let mut out = std::fs::File::create(&path).unwrap();
        std::io::copy(&mut file, &mut out).unwrap();
        by_schema.entry(schema).or_default().push(path);
    }
    assert!(by_schema.len() == 4, "{what}: parts {by_schema:?}");
    let ofd_a = schemas_ofd_a();
    let schemas = if text_part(bytes, "OFD.xml").contains("DocType=\"OFD-A\"") {
        ofd_a.path().to_path_buf()
    } else {
        repo().join("tests/ofd-schema")
    };
    for (schema, files) in by_schema {
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(schemas.join(schema))
            .args(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{what}: {schema}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The GB/T 33190 schemas with one change: OFD.xml's DocType may also be
/// "OFD-A". The standard's text (Table 3) gives DocType the values "OFD"
/// and "OFD-A" (the archive profile); its published OFD.xsd fixes "OFD".
fn schemas_ofd_a() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(repo().join("tests/ofd-schema")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let ofd = dir.path().join("OFD.xsd");
    let xsd = std::fs::read_to_string(&ofd).unwrap();
    let fixed = r#"<xs:attribute name="DocType" use="required" fixed="OFD">"#;
    let only = r#"<xs:enumeration value="OFD" />"#;
    assert!(xsd.contains(fixed) && xsd.contains(only), "OFD.xsd changed");
    let xsd = xsd
        .replace(fixed, r#"<xs:attribute name="DocType" use="required">"#)
        .replace(
            only,
            r#"<xs:enumeration value="OFD" /><xs:enumeration value="OFD-A" />"#,
        );
    std::fs::write(&ofd, xsd).unwrap();
    dir
}

/// The names of a package's parts.
fn part_names(bytes: &[u8]) -> std::collections::BTreeSet<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    zip.file_names().map(|n| n.unwrap().to_string()).collect()
}

/// Every archive rule gongwen covers, checked on one OFD-A package: it
/// declares itself; its metadata is there; every font a text uses is
/// embedded, as a subset that can draw; nothing refers outside the
/// package and nothing is active (actions, scripts, attachments, audio or
/// video, encryption); every colour names a declared colour space whose
/// ICC profile is in the package and is of that space. `title`, when
/// given, is the DocInfo's title; `particulars` CustomData that must be
/// there.
fn archive_rules(bytes: &[u8], what: &str, title: Option<&str>, particulars: &[(&str, &str)]) {
    valid(bytes, what);
    let names = part_names(bytes);
    let ofd = text_part(bytes, "OFD.xml");
    // Declared.
    assert!(ofd.contains("DocType=\"OFD-A\""), "{what}: {ofd}");
    // Metadata.
    let field = |tag: &str| {
        regex::Regex::new(&format!("<ofd:{tag}>([^<]*)</ofd:{tag}>"))
            .unwrap()
            .captures(&ofd)
            .map(|c| unescape(&c[1]))
            .unwrap_or_default()
    };
    let id = field("DocID");
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{what}: DocID {id}"
    );
    for tag in [
        "Title",
        "Author",
        "CreationDate",
        "ModDate",
        "Creator",
        "CreatorVersion",
    ] {
        assert!(!field(tag).trim().is_empty(), "{what}: no {tag}: {ofd}");
    }
    if let Some(t) = title {
        assert_eq!(field("Title"), t, "{what}");
    }
    let custom =
        regex::Regex::new(r#"<ofd:CustomData Name="([^"]+)">([^<]*)</ofd:CustomData>"#).unwrap();
    let customs: Vec<(String, String)> = custom
        .captures_iter(&ofd)
        .map(|c| (c[1].to_string(), unescape(&c[2])))
        .collect();
    for name in ["发文机关", "成文日期"] {
        assert!(
            customs.iter().any(|(n, v)| n == name && !v.is_empty()),
            "{what}: {name}"
        );
    }
    for (name, value) in particulars {
        assert!(
            customs.iter().any(|(n, v)| n == name && v == value),
            "{what}: {name} {value} in {customs:?}"
        );
    }
    // Nothing outside the package, nothing active.
    let mut all = String::new();
    for n in names.iter().filter(|n| n.ends_with(".xml")) {
        all += &text_part(bytes, n);
    }
    for active in [
        "Actions",
        "Action ",
        "Attachments",
        "Signatures",
        "Encrypt",
        "URI",
        "Sound",
        "Movie",
        "Audio",
        "Video",
    ] {
        assert!(!all.contains(&format!("<ofd:{active}")), "{what}: {active}");
    }
    let loc = regex::Regex::new(
        r#"<ofd:(DocRoot|PublicRes|DocumentRes|FontFile|MediaFile)>([^<]*)<|<ofd:Page ID="\d+" BaseLoc="([^"]*)"|Profile="([^"]*)""#,
    )
    .unwrap();
    let mut locs = 0;
    for c in loc.captures_iter(&all) {
        let (kind, path) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
            (Some(k), Some(p), _, _) => (k.as_str(), p.as_str()),
            (_, _, Some(p), _) => ("Page", p.as_str()),
            (_, _, _, Some(p)) => ("Profile", p.as_str()),
            _ => unreachable!(),
        };
        assert!(
            !path.contains("://") && !path.starts_with('/') && !path.contains(".."),
            "{what}: {kind} {path} is outside"
        );
        let base = match kind {
            "DocRoot" => "",
            "PublicRes" | "DocumentRes" | "Page" => "Doc_0/",
            _ => "Doc_0/Res/",
        };
        assert!(
            names.contains(&format!("{base}{path}")),
            "{what}: {kind} {path} not in {names:?}"
        );
        locs += 1;
    }
    assert!(locs >= 5, "{what}: {locs} locations");
    let media = regex::Regex::new(r#"<ofd:MultiMedia [^>]*Type="([^"]+)""#).unwrap();
    for m in media.captures_iter(&all) {
        assert_eq!(&m[1], "Image", "{what}: only images");
    }
    // Fonts: embedded, subset, able to draw.
    let res = text_part(bytes, "Doc_0/PublicRes.xml");
    let font =
        regex::Regex::new(r#"<ofd:Font ID="(\d+)"[^>]*><ofd:FontFile>([^<]+)</ofd:FontFile>"#)
            .unwrap();
    let fonts: std::collections::BTreeMap<String, String> = font
        .captures_iter(&res)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    assert_eq!(
        fonts.len(),
        res.matches("<ofd:Font ").count(),
        "{what}: a font without its file"
    );
    let text = regex::Regex::new(
        r#"<ofd:TextObject [^>]*Font="(\d+)"[^>]*>.*?<ofd:TextCode [^>]*>([^<]*)</ofd:TextCode>"#,
    )
    .unwrap();
    let mut used: std::collections::BTreeMap<String, std::collections::BTreeSet<char>> =
        Default::default();
    for c in text.captures_iter(&all) {
        used.entry(c[1].to_string())
            .or_default()
            .extend(unescape(&c[2]).chars());
    }
    assert!(!used.is_empty(), "{what}: no text");
    for (id, chars) in &used {
        let file = fonts
            .get(id)
            .unwrap_or_else(|| panic!("{what}: font {id} is not embedded"));
        let data = part(bytes, &format!("Doc_0/Res/{file}"));
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let t = face.tables();
        assert!(
            t.cff.is_some() || t.glyf.is_some(),
            "{what}: {file} has no outlines"
        );
        // The tables of a conforming font program (head, hhea and maxp
        // are required to parse at all).
        assert!(
            t.cmap.is_some()
                && t.os2.is_some()
                && t.name.is_some()
                && t.hmtx.is_some()
                && t.post.is_some(),
            "{what}: {file} cmap, OS/2, name, hmtx, post"
        );
        // A subset: the glyphs of its characters (and .notdef), no more.
        assert!(
            usize::from(face.number_of_glyphs()) <= chars.len() + 1,
            "{what}: {file} has {} glyphs for {} characters",
            face.number_of_glyphs(),
            chars.len()
        );
        for ch in chars.iter().filter(|c| !c.is_whitespace()) {
            assert!(
                face.glyph_index(*ch).is_some(),
                "{what}: {file} cannot draw {ch}"
            );
        }
    }
    // Each font named by its face, and flagged bold when it is.
    let entry = regex::Regex::new(
        r#"<ofd:Font ID="\d+" FontName="([^"]+)"[^>]*?( Bold="true")?><ofd:FontFile>([^<]+)<"#,
    )
    .unwrap();
    for c in entry.captures_iter(&res) {
        let data = part(bytes, &format!("Doc_0/Res/{}", &c[3]));
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        assert_eq!(&c[1], postscript_name(&face), "{what}: FontName");
        assert_eq!(c.get(2).is_some(), face.is_bold(), "{what}: {} Bold", &c[1]);
    }
    // Colour: declared spaces, each with its ICC profile.
    let space =
        regex::Regex::new(r#"<ofd:ColorSpace ID="(\d+)" Type="(\w+)"[^>]*Profile="([^"]+)""#)
            .unwrap();
    let spaces: std::collections::BTreeMap<String, String> = space
        .captures_iter(&res)
        .map(|c| {
            let icc = part(bytes, &format!("Doc_0/Res/{}", &c[3]));
            assert_eq!(&icc[36..40], b"acsp", "{what}: {} is an ICC profile", &c[3]);
            let want: &[u8] = if &c[2] == "RGB" { b"RGB " } else { b"CMYK" };
            assert_eq!(
                &icc[16..20],
                want,
                "{what}: {} is a {} profile",
                &c[3],
                &c[2]
            );
            (c[1].to_string(), c[2].to_string())
        })
        .collect();
    assert_eq!(
        spaces.len(),
        res.matches("<ofd:ColorSpace ").count(),
        "{what}: a space without profile"
    );
    let default = regex::Regex::new(r"<ofd:DefaultCS>(\d+)</ofd:DefaultCS>").unwrap();
    let doc = text_part(bytes, "Doc_0/Document.xml");
    let d = default
        .captures(&doc)
        .unwrap_or_else(|| panic!("{what}: no DefaultCS"));
    assert!(spaces.contains_key(&d[1]), "{what}: DefaultCS");
    let refs = regex::Regex::new(r#"ColorSpace="(\d+)""#).unwrap();
    for c in refs.captures_iter(&all) {
        assert!(spaces.contains_key(&c[1]), "{what}: colour space {}", &c[1]);
    }
}

/// `valid` for every .ofd file under `dir`; how many there were.
fn all_valid(dir: &std::path::Path) -> usize {
    let mut n = 0;
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "ofd") {
            valid(
                &std::fs::read(e.path()).unwrap(),
                &e.path().display().to_string(),
            );
            n += 1;
        }
    }
    n
}

#[test]
fn the_canonical_notice_as_ofd_matches_its_pdf_page_by_page() {
    let dir = tempfile::tempdir().unwrap();
    let project = gongwen::Project::load(&canonical_dir()).unwrap();
    let built = canonical();
    let emit = [gongwen::output::Emit::Pdf, gongwen::output::Emit::Ofd];
    let files = gongwen::output::write_build(&project, built, dir.path(), &emit, 72.0).unwrap();
    let ofd = package(&files);
    let l = layout(&built.doc);

    let root = text_part(&ofd, "OFD.xml");
    assert!(
        root.contains("<ofd:Author>上海市市场监督管理局</ofd:Author>"),
        "{root}"
    );
    // No seal image: no MultiMedias (an empty one fails GB/T 33190's schema).
    let res = text_part(&ofd, "Doc_0/DocumentRes.xml");
    assert!(!res.contains("MultiMedias"), "{res}");
    assert!(root.contains("<ofd:CreationDate>2019-03-07</ofd:CreationDate>"));
    let document = text_part(&ofd, "Doc_0/Document.xml");
    let pages = regex::Regex::new(r#"<ofd:Page ID="\d+" BaseLoc="([^"]+)"/>"#).unwrap();
    let locs: Vec<String> = pages
        .captures_iter(&document)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(locs.len(), l.pages.len());

    let object = regex::Regex::new(r#"(?s)<ofd:TextObject ([^>]*)>.*?<ofd:TextCode ([^>]*)>([^<]*)</ofd:TextCode></ofd:TextObject>"#).unwrap();
    let path = regex::Regex::new(r#"(?s)<ofd:PathObject ([^>]*)>(.*?)</ofd:PathObject>"#).unwrap();
    for (i, loc) in locs.iter().enumerate() {
        let page = i + 1;
        let xml = text_part(&ofd, &format!("Doc_0/{loc}"));
        assert!(xml.contains("<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"));
        // The text of the page, in the order of the layout, equals the PDF's.
        let mut ours: Vec<(f64, f64, String)> = object
            .captures_iter(&xml)
            .map(|c| {
                let m: Vec<f64> = attr(&c[1], "CTM")
                    .split(' ')
                    .map(|v| v.parse().unwrap())
                    .collect();
                (m[5], m[4], unescape(&c[3]))
            })
            .collect();
        ours.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let text: String = ours.iter().map(|o| o.2.as_str()).collect();
        let pdf: String = l
            .lines(page)
            .iter()
            .map(|ln| ln.iter().map(|r| r.text.as_str()).collect::<String>())
            .collect();
        assert_eq!(squeeze(&text), squeeze(&pdf), "page {page}");
        // Every run where the PDF has it: baseline and left edge within 0.5 mm.
        for r in l.runs.iter().filter(|r| r.page == page && !r.rotated) {
            let found = ours.iter().any(|(y, x, t)| {
                t == &r.text && (y - r.baseline).abs() < 0.5 && (x - r.x).abs() < 0.5
            });
            assert!(
                found,
                "page {page}: “{}” at {:.1},{:.1}",
                r.text, r.x, r.baseline
            );
        }
        if page == 1 {
            // The red separator: a CMYK 0/80/80/0 path where the PDF's rule is.
            let sep = l.separator();
            let red = path
                .captures_iter(&xml)
                .find(|c| c[2].contains("Value=\"0 204 204 0\""));
            let red = red.expect("a red rule");
            let m: Vec<f64> = attr(&red[1], "CTM")
                .split(' ')
                .map(|v| v.parse().unwrap())
                .collect();
            close(m[4], sep.x, "separator x");
            close(m[5], sep.y, "separator y");
            assert!(
                (attr(&red[1], "LineWidth").parse::<f64>().unwrap() - sep.thickness).abs() < 0.05
            );
        }
    }
    // The fonts are there, subset, and hold the glyphs the text names.
    let public = text_part(&ofd, "Doc_0/PublicRes.xml");
    let file = regex::Regex::new(r"<ofd:FontFile>([^<]+)</ofd:FontFile>").unwrap();
    let fonts: Vec<String> = file
        .captures_iter(&public)
        .map(|c| c[1].to_string())
        .collect();
    assert!(fonts.len() >= 3, "{public}");
    for f in &fonts {
        let data = part(&ofd, &format!("Doc_0/Res/{f}"));
        let face = ttf_parser::Face::parse(&data, 0).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(face.number_of_glyphs() > 1);
        assert!(
            data.len() < 2_000_000,
            "{f} is not a subset: {} bytes",
            data.len()
        );
    }
    // Deterministic: a second write is byte-identical.
    let again =
        gongwen::output::write_build(&project, built, &dir.path().join("again"), &emit, 72.0)
            .unwrap();
    assert_eq!(package(&again), ofd);
}

#[test]
fn a_sealed_joint_notice_carries_its_seal_as_an_image() {
    let dir = tempfile::tempdir().unwrap();
    let content = repo().join("tests/fixtures/layout/joint");
    let project = gongwen::Project::load(&content).unwrap();
    let built = gongwen::build(engine(), &project).unwrap();
    let files = gongwen::output::write_build(
        &project,
        &built,
        dir.path(),
        &[gongwen::output::Emit::Ofd],
        72.0,
    )
    .unwrap();
    let ofd = package(&files);
    valid(&ofd, "the sealed joint notice");
    let res = text_part(&ofd, "Doc_0/DocumentRes.xml");
    assert!(
        res.contains("Type=\"Image\"") && res.contains("image_1.png"),
        "{res}"
    );
    let png = part(&ofd, "Doc_0/Res/image_1.png");
    assert_eq!(&png[1..4], b"PNG");
    let l = layout(&built.doc);
    let seal = &l.images[0];
    let page = seal.page;
    let xml = text_part(&ofd, &format!("Doc_0/Pages/Page_{}/Content.xml", page - 1));
    let img = regex::Regex::new(r#"<ofd:ImageObject [^>]*CTM="([^"]+)""#).unwrap();
    let m: Vec<f64> = img.captures(&xml).unwrap()[1]
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    close(m[0], seal.width, "seal width");
    close(m[4], seal.x, "seal x");
    close(m[5], seal.y, "seal y");
}

#[test]
fn an_independent_ofd_reader_reads_every_page_with_the_pdfs_text() {
    use easyofd_core::ContentObject;
    let dir = tempfile::tempdir().unwrap();
    for content in [canonical_dir(), repo().join("tests/fixtures/layout/joint")] {
        let project = gongwen::Project::load(&content).unwrap();
        let built = gongwen::build(engine(), &project).unwrap();
        let out = dir.path().join(&project.name);
        let files = gongwen::output::write_build(
            &project,
            &built,
            &out,
            &[gongwen::output::Emit::Ofd],
            72.0,
        )
        .unwrap();
        let bytes = package(&files);
        let reader = easyofd_reader::OfdReader::from_bytes(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", project.name));
        let l = layout(&built.doc);
        assert_eq!(reader.page_count(), l.pages.len(), "{}", project.name);
        let meta = reader.metadata();
        assert_eq!(
            meta.title.as_deref(),
            Some(project.notice.title.replace('\n', "").as_str())
        );
        for (i, page) in reader.pages().iter().enumerate() {
            assert!((page.width - 210.0).abs() < 0.01 && (page.height - 297.0).abs() < 0.01);
            let mut ours: Vec<char> = page
                .content
                .iter()
                .filter_map(|c| match c {
                    ContentObject::Text(t) => Some(t.text.clone()),
                    _ => None,
                })
                .collect::<String>()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mut pdf: Vec<char> = l
                .runs
                .iter()
                .filter(|r| r.page == i + 1)
                .flat_map(|r| r.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            ours.sort_unstable();
            pdf.sort_unstable();
            assert_eq!(ours, pdf, "{} page {}", project.name, i + 1);
            assert!(
                page.content
                    .iter()
                    .any(|c| matches!(c, ContentObject::Path(_)))
                    || i > 0
            );
        }
        let images: usize = reader
            .pages()
            .iter()
            .flat_map(|p| &p.content)
            .filter(|c| matches!(c, ContentObject::Image(_)))
            .count();
        assert_eq!(images, l.images.len(), "{}", project.name);
    }
}

#[test]
fn forms_and_the_summary_come_as_ofd_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let opts = gongwen::forms::Options {
        xlsx: true,
        beside: gongwen::output::Beside {
            ofd: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let r = gongwen::forms::distribute(engine(), &canonical_dir(), &out, &opts).unwrap();
    let (_, _, units) = gongwen::forms::load(engine(), &canonical_dir(), None).unwrap();
    let form = |unit: &gongwen::forms::Unit| {
        r.out
            .dir
            .join("填报表")
            .join(format!("{}.ofd", unit.file_stem()))
    };
    let read = |path: &std::path::Path| {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        easyofd_reader::OfdReader::from_bytes(&bytes)
            .unwrap()
            .extract_all_text()
    };
    let text = read(&form(&units[0]));
    assert!(squeeze(&text).contains(&units[0].name), "{text}");
    // Every product is the issuing organ's paper: its author is the organ
    // that signs the notice, not the unit a form is for.
    let blank = std::fs::read(form(&units[0])).unwrap();
    let info = text_part(&blank, "OFD.xml");
    assert!(
        info.contains("<ofd:Author>上海市市场监督管理局</ofd:Author>"),
        "{info}"
    );
    // Each form is a document of its own: its own DocID, its unit named.
    let mut ids = std::collections::BTreeSet::new();
    let doc_id = regex::Regex::new("<ofd:DocID>([0-9a-f]+)</ofd:DocID>").unwrap();
    for unit in &units {
        let bytes = std::fs::read(form(unit)).unwrap();
        let info = text_part(&bytes, "OFD.xml");
        let id = doc_id.captures(&info).unwrap()[1].to_string();
        ids.insert(id);
        let named = format!(
            "<ofd:CustomData Name=\"填报单位\">{}</ofd:CustomData>",
            unit.name
        );
        assert!(info.contains(&named), "{info}");
    }
    assert_eq!(ids.len(), units.len(), "one DocID per form");
    // Returned, read back, and the filled forms and 汇总表 as OFD.
    let data = dir.path().join("data");
    canonical_return(&data);
    // (As OFD-A, as `fill --ofd-standard ofd-a` asks.)
    let opts = gongwen::forms::Options {
        beside: gongwen::output::Beside {
            ofd: true,
            docx: false,
            ofd_archive: true,
        },
        ..Default::default()
    };
    let c = gongwen::forms::collect(engine(), &canonical_dir(), &data, &out, &opts).unwrap();
    let filled = read(
        &c.out
            .dir
            .join("已填报")
            .join(format!("{}.ofd", units[0].file_stem())),
    );
    assert!(squeeze(&filled).contains("组织普法活动场次7"), "{filled}");
    let summary = read(&c.out.dir.join("汇总表.ofd"));
    assert!(squeeze(&summary).contains("合计"), "{summary}");
    let summary = std::fs::read(c.out.dir.join("汇总表.ofd")).unwrap();
    archive_rules(&summary, "the 汇总表 as OFD-A", None, &[]);
    let filled = std::fs::read(
        c.out
            .dir
            .join("已填报")
            .join(format!("{}.ofd", units[0].file_stem())),
    )
    .unwrap();
    archive_rules(&filled, "a filled form as OFD-A", None, &[]);
    // Every blank form, the filled form (one unit returned) and the 汇总表
    // against the schemas.
    let n = all_valid(&out);
    assert!(n >= units.len() + 2, "{n} packages");
}

#[test]
fn the_task_lists_as_ofd_validate() {
    let dir = tempfile::tempdir().unwrap();
    let beside = gongwen::output::Beside {
        ofd: true,
        ..Default::default()
    };
    let r = gongwen::tasks::assign(engine(), &canonical_dir(), dir.path(), beside).unwrap();
    let departments = gongwen::tasks::departments(&r.tasks).len();
    // The 任务分工表 and each department's list.
    assert!(
        all_valid(dir.path()) > departments,
        "{departments} departments"
    );
}

#[test]
fn every_fixture_and_example_reads_back_from_ofd_with_its_text() {
    let mut dirs = Vec::new();
    for base in [repo().join("content"), repo().join("tests/fixtures/real")] {
        for e in std::fs::read_dir(base).unwrap() {
            let p = e.unwrap().path();
            if p.join("公文.yaml").is_file() {
                dirs.push(p);
            }
        }
    }
    dirs.sort();
    // Exact: 9 examples and 15 published documents.
    assert_eq!(dirs.len(), 24, "{dirs:?}");
    for dir in dirs {
        let project = gongwen::Project::load(&dir).unwrap();
        let built = gongwen::build(engine(), &project).unwrap();
        let meta = gongwen::output::Meta::of(&project, &project.notice.title);
        let bytes = gongwen::output::ofd::ofd(&built.doc, &meta).unwrap();
        valid(&bytes, &dir.display().to_string());
        let reader = easyofd_reader::OfdReader::from_bytes(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let l = layout(&built.doc);
        assert_eq!(reader.page_count(), l.pages.len(), "{}", dir.display());
        for (i, text) in reader.extract_text().iter().enumerate() {
            let mut ours: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
            let mut pdf: Vec<char> = l
                .runs
                .iter()
                .filter(|r| r.page == i + 1)
                .flat_map(|r| r.text.chars())
                .filter(|c| !c.is_whitespace())
                .collect();
            ours.sort_unstable();
            pdf.sort_unstable();
            assert!(ours == pdf, "{} page {}", dir.display(), i + 1);
        }
    }
}

/// OFD-A (`--ofd-standard ofd-a`, or `OFD标准: OFD-A` in 样式.yaml): the
/// canonical notice and a sealed joint notice keep every covered archive
/// rule; their pages are the plain package's pages; the same content gives
/// the same bytes; a plain package stays plain.
#[test]
fn an_ofd_a_package_declares_itself_and_keeps_the_archive_rules() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_gongwen");
    let write = |out: &std::path::Path, extra: &[&str]| {
        let o = std::process::Command::new(bin)
            .args(["build", "--ignore-system-fonts", "-o"])
            .arg(out)
            .args(extra)
            .arg(canonical_dir())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // The flag alone writes the OFD (beside the PDF).
    write(&dir.path().join("a"), &["--ofd-standard", "ofd-a"]);
    // As an input method types it: capitals, a full-width hyphen.
    write(&dir.path().join("b"), &["--ofd-standard", "OFD－A"]);
    write(&dir.path().join("plain"), &["--emit", "pdf,ofd"]);
    assert!(dir.path().join("a/2019-315.pdf").is_file());
    let a = std::fs::read(dir.path().join("a/2019-315.ofd")).unwrap();
    let b = std::fs::read(dir.path().join("b/2019-315.ofd")).unwrap();
    assert!(a == b, "the same content gives the same package");
    let project = gongwen::Project::load(&canonical_dir()).unwrap();
    let n = &project.notice;
    archive_rules(
        &a,
        "the canonical notice",
        Some(&n.title.replace('\n', "")),
        &[
            ("发文字号", n.number.as_deref().unwrap()),
            ("成文日期", "2019年3月7日"),
            (
                "主送机关",
                n.recipients.as_deref().unwrap().trim_end_matches('：'),
            ),
        ],
    );
    let plain = std::fs::read(dir.path().join("plain/2019-315.ofd")).unwrap();
    valid(&plain, "the plain notice");
    let ofd = text_part(&plain, "OFD.xml");
    assert!(ofd.contains("DocType=\"OFD\""), "{ofd}");
    assert!(!text_part(&plain, "Doc_0/PublicRes.xml").contains("Profile="));
    assert!(!part_names(&plain).iter().any(|n| n.ends_with(".icc")));
    for i in 0..n_pages(&a) {
        let page = format!("Doc_0/Pages/Page_{i}/Content.xml");
        assert!(part(&a, &page) == part(&plain, &page), "page {}", i + 1);
    }

    // From 样式.yaml, with a seal image and the red in CMYK.
    let content = dir.path().join("joint");
    std::fs::create_dir(&content).unwrap();
    for e in std::fs::read_dir(repo().join("tests/fixtures/layout/joint")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), content.join(e.file_name())).unwrap();
    }
    let style = content.join("样式.yaml");
    let before = std::fs::read_to_string(&style).unwrap_or_default();
    std::fs::write(&style, format!("{before}\nOFD标准: OFD-A\n")).unwrap();
    // The style alone asks for the OFD: a plain build writes it.
    let o = std::process::Command::new(bin)
        .args(["build", "--ignore-system-fonts", "-o"])
        .arg(dir.path().join("joint-out"))
        .arg(&content)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let joint = std::fs::read(dir.path().join("joint-out/joint.ofd")).unwrap();
    archive_rules(&joint, "the sealed joint notice", None, &[]);
    assert!(text_part(&joint, "Doc_0/DocumentRes.xml").contains("Type=\"Image\""));
    assert!(joint_has_cmyk(&joint), "the red stays CMYK");
}

fn n_pages(bytes: &[u8]) -> usize {
    part_names(bytes)
        .iter()
        .filter(|n| n.ends_with("/Content.xml"))
        .count()
}

fn joint_has_cmyk(bytes: &[u8]) -> bool {
    (0..n_pages(bytes)).any(|i| {
        text_part(bytes, &format!("Doc_0/Pages/Page_{i}/Content.xml")).contains("ColorSpace=\"2\"")
    })
}

#[test]
fn a_wrong_ofd_standard_is_refused_in_chinese() {
    let e = style_refusal("正文字号: 16\nOFD标准: OFD-B\n");
    assert!(
        e.contains("样式.yaml:2:") && e.contains("“OFD-B”不是可用的 OFD 标准"),
        "{e}"
    );
    for sub in ["build", "forms"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .arg(sub)
            .arg(canonical_dir())
            .args(["--ofd-standard", "pdf-a"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{sub}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("“pdf-a”不是 OFD 标准：PDF/A 请用 --pdf-standard a-2b"),
            "{sub}: {err}"
        );
    }
}

#[test]
fn the_doc_id_is_the_sha256_of_title_author_date_and_the_pages() {
    // Not Rust's own hasher, whose output may change with the toolchain:
    // the same content gives the same package from any gongwen build.
    let built = canonical();
    let project = gongwen::Project::load(&canonical_dir()).unwrap();
    let meta = gongwen::output::Meta::of(&project, &project.notice.title);
    let bytes = gongwen::output::ofd::ofd(&built.doc, &meta).unwrap();
    let info = text_part(&bytes, "OFD.xml");
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in [meta.title.as_str(), meta.author.as_str(), "2019-03-07"] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for i in 0..built.doc.pages().len() {
        h.update(part(&bytes, &format!("Doc_0/Pages/Page_{i}/Content.xml")));
    }
    let want: String = h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        info.contains(&format!("<ofd:DocID>{want}</ofd:DocID>")),
        "{info}"
    );
}

/// A viewer that draws TextCode by character code through the embedded
/// font's cmap (ignoring CGTransform, or substituting by the font's
/// metrics) draws the glyphs gongwen laid out: every embedded subset has a
/// cmap and an OS/2 table, every character of the text not named by a
/// CGTransform is in the cmap, and each glyph it finds is the glyph the
/// original face has for that character (the same outline box).
#[test]
fn the_text_draws_by_character_code_through_each_subsets_cmap() {
    let originals: Vec<(String, Vec<u8>)> = std::fs::read_dir(repo().join("fonts"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "otf"))
        .map(|e| {
            let data = std::fs::read(e.path()).unwrap();
            let face = ttf_parser::Face::parse(&data, 0).unwrap();
            let ps = postscript_name(&face);
            (ps, data)
        })
        .collect();
    let object = regex::Regex::new(
        r#"(?s)<ofd:TextObject [^>]*Font="(\d+)"[^>]*>(.*?)<ofd:TextCode [^>]*>([^<]*)</ofd:TextCode></ofd:TextObject>"#,
    )
    .unwrap();
    let font_file =
        regex::Regex::new(r#"<ofd:Font ID="(\d+)"[^>]*><ofd:FontFile>([^<]+)</ofd:FontFile>"#)
            .unwrap();
    for dir in [
        canonical_dir(),
        repo().join("tests/fixtures/real/guobanfa-2019-4-hospital-indicators"),
        repo().join("content/yuan-decimal"),
    ] {
        let project = gongwen::Project::load(&dir).unwrap();
        let built = gongwen::build(engine(), &project).unwrap();
        let meta = gongwen::output::Meta::of(&project, &project.notice.title);
        let bytes = gongwen::output::ofd::ofd(&built.doc, &meta).unwrap();
        let public = text_part(&bytes, "Doc_0/PublicRes.xml");
        let fonts: std::collections::HashMap<String, Vec<u8>> = font_file
            .captures_iter(&public)
            .map(|c| {
                (
                    c[1].to_string(),
                    part(&bytes, &format!("Doc_0/Res/{}", &c[2])),
                )
            })
            .collect();
        for (id, data) in &fonts {
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            assert!(
                face.tables().cmap.is_some(),
                "{}: font {id} has no cmap",
                dir.display()
            );
            assert!(
                face.tables().os2.is_some(),
                "{}: font {id} has no OS/2",
                dir.display()
            );
        }
        let (mut objects, mut transformed, mut chars) = (0, 0, 0);
        let pages = built.doc.pages().len();
        for page in 0..pages {
            let content = text_part(&bytes, &format!("Doc_0/Pages/Page_{page}/Content.xml"));
            for c in object.captures_iter(&content) {
                objects += 1;
                if c[2].contains("CGTransform") {
                    transformed += 1;
                    continue;
                }
                let data = &fonts[&c[1]];
                let face = ttf_parser::Face::parse(data, 0).unwrap();
                let ps = postscript_name(&face);
                let (_, original) = originals
                    .iter()
                    .find(|(name, _)| *name == ps)
                    .unwrap_or_else(|| panic!("no bundled face named {ps}"));
                let original = ttf_parser::Face::parse(original, 0).unwrap();
                for ch in unescape(&c[3]).chars().filter(|c| !c.is_whitespace()) {
                    chars += 1;
                    let g = face.glyph_index(ch).unwrap_or_else(|| {
                        panic!("{}: “{ch}” is not in {ps}'s cmap", dir.display())
                    });
                    let o = original.glyph_index(ch).unwrap();
                    assert_eq!(
                        face.glyph_bounding_box(g),
                        original.glyph_bounding_box(o),
                        "{}: “{ch}” draws another glyph of {ps}",
                        dir.display()
                    );
                    assert_eq!(face.glyph_hor_advance(g), original.glyph_hor_advance(o));
                }
            }
        }
        assert!(
            objects > 100 && chars > 1000,
            "{}: {objects} objects",
            dir.display()
        );
        // Chinese text maps one character to one glyph: nothing needs a
        // CGTransform.
        assert_eq!(
            transformed,
            0,
            "{}: {transformed} of {objects} text objects need CGTransform",
            dir.display()
        );
    }
}

/// The face's PostScript name (UTF-16 records, or the Macintosh ones as
/// plain ASCII).
fn postscript_name(face: &ttf_parser::Face) -> String {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| {
            n.to_string()
                .or_else(|| std::str::from_utf8(n.name).ok().map(str::to_string))
        })
        .unwrap_or_default()
}
