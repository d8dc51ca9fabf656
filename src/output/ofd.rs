//! OFD (GB/T 33190-2016), the format 党政机关 store and exchange electronic
//! documents in, written from the same laid-out pages as the PDF (never by
//! converting the PDF): one Content.xml per page with text as TextObject
//! (its font, size and per-character positions, so it stays selectable),
//! rules as PathObject, seals as ImageObject; the fonts embedded as subsets;
//! byte-identical for the same content.
//!
//! OFD-A, the archive profile, is the same package declared as such
//! (DocType="OFD-A") with its colour spaces tied to embedded ICC profiles.
//! Every package is already what the archive rules ask of the rest: every
//! font embedded as a subset, every resource inside the package (no links,
//! actions, scripts, audio or video, no encryption), and the document's
//! metadata (DocID, title, author, dates, creator, the 公文's particulars).

use std::fmt::Write as _;
use std::io::Write as _;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::Font;
use typst::visualize::{Color, CurveItem, Geometry, Image, ImageKind, Paint, RasterFormat};
use typst_layout::PagedDocument;

use super::Meta;
use crate::error::{Error, Result};

fn mm(v: Abs) -> f64 {
    v.to_mm()
}

/// A number as OFD writes it: millimetres to 1/1000, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{:.3}", if v.abs() < 0.0005 { 0.0 } else { v });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// XML text and attribute escaping.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A transform as OFD's CTM ("a b c d e f"), its translation in mm.
fn ctm(t: Transform) -> String {
    format!(
        "{} {} {} {} {} {}",
        num(t.sx.get()),
        num(t.ky.get()),
        num(t.kx.get()),
        num(t.sy.get()),
        num(mm(t.tx)),
        num(mm(t.ty))
    )
}

/// The fonts of the document, each with the glyphs its pages use, the
/// character each glyph was first met for (the subset's cmap) and its
/// resource id.
#[derive(Default)]
struct Fonts {
    list: Vec<EmbeddedFont>,
}

struct EmbeddedFont {
    font: Font,
    remapper: subsetter::GlyphRemapper,
    /// Character → glyph in the subset: a viewer that draws TextCode by
    /// character code (ignoring CGTransform) finds these glyphs.
    cmap: std::collections::BTreeMap<char, u16>,
    id: u32,
}

impl Fonts {
    /// The font's resource id (a new font takes the next id of `ids`) and
    /// the glyph's id in the subset.
    fn glyph(&mut self, font: &Font, id: u16, ids: &mut u32) -> (usize, u32, u16) {
        let i = match self.list.iter().position(|f| &f.font == font) {
            Some(i) => i,
            None => {
                *ids += 1;
                self.list.push(EmbeddedFont {
                    font: font.clone(),
                    remapper: subsetter::GlyphRemapper::new(),
                    cmap: Default::default(),
                    id: *ids,
                });
                self.list.len() - 1
            }
        };
        let f = &mut self.list[i];
        (i, f.id, f.remapper.remap(id))
    }

    /// Whether the subset's cmap gives glyph `gid` for `c` (making it so
    /// when `c` has no glyph yet): then the character code alone draws it.
    fn by_code(&mut self, i: usize, c: char, gid: u16) -> bool {
        *self.list[i].cmap.entry(c).or_insert(gid) == gid
    }
}

/// The colour spaces a page's colours use: RGB (the default) and CMYK (the
/// red of the mark and separator, 0/80/80/0; black, K only).
const RGB_SPACE: u32 = 1;
const CMYK_SPACE: u32 = 2;

/// The ICC profiles of the two colour spaces in an OFD-A package.
const RGB_PROFILE: &str = "sRGB-v4.icc";
const CMYK_PROFILE: &str = "CMYK-CGATS-TR001.icc";

/// A colour as OFD's Value (0–255 per channel), with its colour space when
/// it is not RGB.
fn colour(p: &Paint) -> (String, Option<u32>) {
    let Paint::Solid(c) = p else {
        return ("0 0 0".into(), None);
    };
    let c8 = |v: f32| ((v.clamp(0.0, 1.0) * 255.0).round() as u32).to_string();
    match c {
        Color::Process(typst::visualize::ProcessColor::Cmyk(_)) => {
            let [cc, m, y, k] = c.to_vec4();
            (
                format!("{} {} {} {}", c8(cc), c8(m), c8(y), c8(k)),
                Some(CMYK_SPACE),
            )
        }
        _ => {
            let rgb = c.to_rgb();
            (
                format!("{} {} {}", c8(rgb.red), c8(rgb.green), c8(rgb.blue)),
                None,
            )
        }
    }
}

fn colour_element(tag: &str, p: &Paint) -> String {
    let (value, space) = colour(p);
    match space {
        Some(s) => format!("<ofd:{tag} ColorSpace=\"{s}\" Value=\"{value}\"/>"),
        None => format!("<ofd:{tag} Value=\"{value}\"/>"),
    }
}

/// A page being written: its objects, numbered from the document's counter.
struct PageWriter<'a> {
    xml: String,
    next_id: &'a mut u32,
    fonts: &'a mut Fonts,
    /// File name, bytes and resource id of each image.
    images: &'a mut Vec<(String, Vec<u8>, u32)>,
    page_box: String,
}

impl PageWriter<'_> {
    fn id(&mut self) -> u32 {
        *self.next_id += 1;
        *self.next_id
    }

    fn frame(&mut self, frame: &Frame, ts: Transform) -> Result<()> {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => self.frame(&g.frame, here.pre_concat(g.transform))?,
                FrameItem::Text(t) => self.text(t, here),
                FrameItem::Shape(s, _) => self.shape(s, here),
                FrameItem::Image(image, size, _) => {
                    // The image fills the unit square; its size in mm
                    // (the CTM's translation is in mm too).
                    let unit = here.pre_concat(Transform::scale(
                        typst::layout::Ratio::new(size.x.to_mm()),
                        typst::layout::Ratio::new(size.y.to_mm()),
                    ));
                    self.image(image, unit)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn text(&mut self, t: &typst::text::TextItem, ts: Transform) {
        if t.glyphs.is_empty() {
            return;
        }
        let font = t.font.font();
        let size = mm(t.size);
        let start = t.glyphs[0].range().start;
        let end = t.glyphs.last().map_or(start, |g| g.range().end);
        let Some(code) = t.text.get(start..end) else {
            return;
        };
        // Each glyph's x (mm, from the item's origin), and the characters it
        // stands for.
        let mut x = 0.0;
        let mut char_x: Vec<f64> = Vec::new();
        let mut per_glyph = String::new();
        let mut fi = 0;
        for g in &t.glyphs {
            let gx = x + g.x_offset.at(t.size).to_mm();
            let r = g.range();
            // (Ranges are cluster boundaries; a range that is not, or that
            // lies before the run's start, counts as one character.)
            let (position, count) = (
                code.get(..r.start.saturating_sub(start))
                    .map_or(0, |s| s.chars().count()),
                t.text.get(r.clone()).map_or(1, |s| s.chars().count()),
            );
            for _ in 0..count {
                char_x.push(gx);
            }
            let (index, fid, id) = self.fonts.glyph(font, g.id, self.next_id);
            fi = fid;
            // A glyph of one character that the subset's cmap maps to it
            // is drawn from the character code; any other (a ligature, a
            // second glyph for a character) is named by a CGTransform.
            let single = t.text.get(r.clone()).and_then(|s| {
                let mut cs = s.chars();
                cs.next().filter(|_| cs.next().is_none())
            });
            let coded = single.is_some_and(|c| self.fonts.by_code(index, c, id));
            if !coded {
                let _ = write!(
                    per_glyph,
                    "<ofd:CGTransform CodePosition=\"{position}\" CodeCount=\"{count}\" GlyphCount=\"1\"><ofd:Glyphs>{id}</ofd:Glyphs></ofd:CGTransform>"
                );
            }
            x += g.x_advance.at(t.size).to_mm();
        }
        // The characters draw themselves through the subset's cmap; a
        // CGTransform names each glyph they cannot.
        let deltas: Vec<String> = char_x.windows(2).map(|w| num(w[1] - w[0])).collect();
        let id = self.id();
        let delta = if deltas.is_empty() {
            String::new()
        } else {
            format!(" DeltaX=\"{}\"", deltas.join(" "))
        };
        let _ = write!(
            self.xml,
            "<ofd:TextObject ID=\"{id}\" Boundary=\"{}\" CTM=\"{}\" Font=\"{}\" Size=\"{}\">{}{}<ofd:TextCode X=\"{}\" Y=\"0\"{delta}>{}</ofd:TextCode></ofd:TextObject>",
            self.page_box,
            ctm(ts),
            fi,
            num(size),
            colour_element("FillColor", &t.fill),
            per_glyph,
            num(char_x.first().copied().unwrap_or(0.0)),
            esc(code),
        );
    }

    fn shape(&mut self, s: &typst::visualize::Shape, ts: Transform) {
        let p = |pt: Point| format!("{} {}", num(mm(pt.x)), num(mm(pt.y)));
        let data = match &s.geometry {
            Geometry::Line(to) => format!("M 0 0 L {}", p(*to)),
            Geometry::Rect(size) => format!(
                "M 0 0 L {w} 0 L {w} {h} L 0 {h} C",
                w = num(mm(size.x)),
                h = num(mm(size.y))
            ),
            Geometry::Curve(curve) => {
                let mut d = Vec::new();
                for item in curve.0.iter() {
                    d.push(match item {
                        CurveItem::Move(a) => format!("M {}", p(*a)),
                        CurveItem::Line(a) => format!("L {}", p(*a)),
                        CurveItem::Cubic(a, b, c) => format!("B {} {} {}", p(*a), p(*b), p(*c)),
                        CurveItem::Close => "C".into(),
                    });
                }
                d.join(" ")
            }
        };
        let id = self.id();
        let (stroke, width, stroke_colour) = match &s.stroke {
            Some(st) => (
                true,
                mm(st.thickness),
                colour_element("StrokeColor", &st.paint),
            ),
            None => (false, 0.0, String::new()),
        };
        let fill = s.fill.as_ref().map(|f| colour_element("FillColor", f));
        let _ = write!(
            self.xml,
            "<ofd:PathObject ID=\"{id}\" Boundary=\"{}\" CTM=\"{}\" LineWidth=\"{}\" Stroke=\"{stroke}\" Fill=\"{}\">{}{}<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>",
            self.page_box,
            ctm(ts),
            num(width),
            fill.is_some(),
            stroke_colour,
            fill.unwrap_or_default(),
        );
    }

    fn image(&mut self, image: &Image, unit: Transform) -> Result<()> {
        let (format, bytes) = match image.kind() {
            ImageKind::Raster(r) => match r.format() {
                RasterFormat::Exchange(typst::visualize::ExchangeFormat::Jpg) => {
                    ("JPEG", r.data().to_vec())
                }
                _ => ("PNG", png_of_raster(r)?),
            },
            ImageKind::Svg(svg) => ("PNG", png_of_svg(svg)?),
            _ => return Ok(()),
        };
        let n = self.images.len() + 1;
        let file = format!("image_{n}.{}", format.to_lowercase());
        let resource = self.id();
        self.images.push((file, bytes, resource));
        let id = self.id();
        let _ = write!(
            self.xml,
            "<ofd:ImageObject ID=\"{id}\" Boundary=\"{}\" CTM=\"{}\" ResourceID=\"{}\"/>",
            self.page_box,
            ctm(unit),
            resource
        );
        Ok(())
    }
}

/// A raster image as PNG (PNG as it is; other formats decoded and encoded).
fn png_of_raster(r: &typst::visualize::RasterImage) -> Result<Vec<u8>> {
    if r.format() == RasterFormat::Exchange(typst::visualize::ExchangeFormat::Png) {
        return Ok(r.data().to_vec());
    }
    let dynamic = r.dynamic();
    let mut out = std::io::Cursor::new(Vec::new());
    dynamic
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| Error::Export(format!("OFD：无法转换图片：{e}")))?;
    Ok(out.into_inner())
}

/// An SVG image (a seal drawn as SVG) as PNG: OFD readers show raster
/// images.
fn png_of_svg(svg: &typst::visualize::SvgImage) -> Result<Vec<u8>> {
    super::svg_png(svg.tree())
}

/// A font as embedded: the subset of the glyphs used (as Typst's PDF
/// export makes it), with a `cmap` from the characters the text uses to
/// their glyphs and the face's `OS/2` table, which a subset alone lacks and
/// viewers need to draw it (by character code, or substituting by its
/// metrics); `post` likewise when missing.
fn embedded(f: &EmbeddedFont) -> Result<Vec<u8>> {
    use write_fonts::read::FontRef;
    use write_fonts::types::{GlyphId, Tag};
    let failed =
        |why: String| Error::Export(format!("OFD：无法嵌入字体 {}：{why}", f.font.info().family));
    let subset = subsetter::subset(f.font.data(), f.font.index(), &f.remapper)
        .map_err(|e| failed(format!("{e:?}")))?;
    let sub = FontRef::new(&subset).map_err(|e| failed(e.to_string()))?;
    let original =
        FontRef::from_index(f.font.data(), f.font.index()).map_err(|e| failed(e.to_string()))?;
    let cmap = write_fonts::tables::cmap::Cmap::from_mappings(
        f.cmap
            .iter()
            .map(|(c, g)| (*c, GlyphId::new(u32::from(*g)))),
    )
    .map_err(|e| failed(format!("{e:?}")))?;
    let mut builder = write_fonts::FontBuilder::new();
    builder
        .add_table(&cmap)
        .map_err(|e| failed(e.to_string()))?;
    for tag in [Tag::new(b"OS/2"), Tag::new(b"post")] {
        if sub.table_data(tag).is_none() {
            if let Some(data) = original.table_data(tag) {
                builder.add_raw(tag, data.as_bytes().to_vec());
            }
        }
    }
    builder.copy_missing_tables(sub);
    Ok(builder.build())
}

/// The face's PostScript name, as its `name` table gives it.
fn postscript_name(font: &Font) -> Option<String> {
    use write_fonts::read::TableProvider;
    let face = write_fonts::read::FontRef::from_index(font.data(), font.index()).ok()?;
    let names = face.name().ok()?;
    names
        .name_record()
        .iter()
        .filter(|r| r.name_id() == write_fonts::types::NameId::POSTSCRIPT_NAME)
        .find_map(|r| {
            let s: String = r.string(names.string_data()).ok()?.chars().collect();
            (!s.is_empty()).then_some(s)
        })
}

/// The OFD package of `doc`, as bytes; as OFD-A when `meta.archive`.
pub fn ofd(doc: &PagedDocument, meta: &Meta) -> Result<Vec<u8>> {
    // OFD ids are one number space: the two colour spaces, then the pages,
    // then fonts, images and page objects in the order they are met.
    let page_id = |i: usize| CMYK_SPACE + 1 + i as u32;
    let mut next_id: u32 = page_id(doc.pages().len()) - 1;
    let mut fonts = Fonts::default();
    let mut images: Vec<(String, Vec<u8>, u32)> = Vec::new();
    let mut pages: Vec<String> = Vec::new();
    let mut boxes: Vec<String> = Vec::new();
    for page in doc.pages() {
        let size = page.frame.size();
        let page_box = format!("0 0 {} {}", num(mm(size.x)), num(mm(size.y)));
        let mut w = PageWriter {
            xml: String::new(),
            next_id: &mut next_id,
            fonts: &mut fonts,
            images: &mut images,
            page_box: page_box.clone(),
        };
        w.frame(&page.frame, Transform::identity())?;
        let layer = w.id();
        pages.push(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:Area><ofd:PhysicalBox>{page_box}</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID=\"{layer}\">{}</ofd:Layer></ofd:Content></ofd:Page>",
            w.xml
        ));
        boxes.push(page_box);
    }

    // Fonts as subsets, named by their face.
    let mut font_files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut font_entries = String::new();
    for (i, f) in fonts.list.iter().enumerate() {
        let (font, id) = (&f.font, f.id);
        let data = embedded(f)?;
        let file = format!("font_{}.otf", i + 1);
        // Named by the face (FandolSong-Bold, not only its family) and
        // flagged bold or italic, so that a viewer which matches fonts by
        // name or substitutes a system font picks the right weight.
        let info = font.info();
        let name = postscript_name(font).unwrap_or_else(|| info.family.clone());
        let bold = if info.variant.weight.to_number() >= 600 {
            " Bold=\"true\""
        } else {
            ""
        };
        let italic = if info.variant.style == typst::text::FontStyle::Normal {
            ""
        } else {
            " Italic=\"true\""
        };
        let _ = write!(
            font_entries,
            "<ofd:Font ID=\"{}\" FontName=\"{}\" FamilyName=\"{}\"{italic}{bold}><ofd:FontFile>{file}</ofd:FontFile></ofd:Font>",
            id,
            esc(&name),
            esc(&info.family)
        );
        font_files.push((file, data));
    }
    // OFD-A: each colour space names the ICC profile that says what its
    // values mean (sRGB; CMYK as characterised by CGATS TR 001, the profile
    // Typst converts CMYK with), embedded in the package.
    let profiles: &[(&str, &[u8])] = if meta.archive {
        &[
            (RGB_PROFILE, typst_assets::icc::S_RGB_V4),
            (CMYK_PROFILE, typst_assets::icc::CMYK_TO_XYZ),
        ]
    } else {
        &[]
    };
    let profile = |i: usize| {
        profiles
            .get(i)
            .map_or(String::new(), |(file, _)| format!(" Profile=\"{file}\""))
    };
    let public_res = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"http://www.ofdspec.org/2016\" BaseLoc=\"Res\"><ofd:ColorSpaces><ofd:ColorSpace ID=\"{RGB_SPACE}\" Type=\"RGB\" BitsPerComponent=\"8\"{}/><ofd:ColorSpace ID=\"{CMYK_SPACE}\" Type=\"CMYK\" BitsPerComponent=\"8\"{}/></ofd:ColorSpaces><ofd:Fonts>{font_entries}</ofd:Fonts></ofd:Res>",
        profile(0),
        profile(1)
    );
    let mut media = String::new();
    for (file, _, id) in &images {
        let format = if file.ends_with(".jpeg") {
            "JPEG"
        } else {
            "PNG"
        };
        let _ = write!(
            media,
            "<ofd:MultiMedia ID=\"{id}\" Type=\"Image\" Format=\"{format}\"><ofd:MediaFile>{file}</ofd:MediaFile></ofd:MultiMedia>"
        );
    }
    let document_res = {
        // The schema wants at least one MultiMedia in a MultiMedias: none
        // at all without images (a notice without a seal).
        let media = if media.is_empty() {
            String::new()
        } else {
            format!("<ofd:MultiMedias>{media}</ofd:MultiMedias>")
        };
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res xmlns:ofd=\"http://www.ofdspec.org/2016\" BaseLoc=\"Res\">{media}</ofd:Res>"
        )
    };
    let page_list: String = (0..pages.len())
        .map(|i| {
            format!(
                "<ofd:Page ID=\"{}\" BaseLoc=\"Pages/Page_{i}/Content.xml\"/>",
                page_id(i)
            )
        })
        .collect();
    let first_box = boxes
        .first()
        .cloned()
        .unwrap_or_else(|| "0 0 210 297".into());
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"><ofd:CommonData><ofd:MaxUnitID>{next_id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>{first_box}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes><ofd:DefaultCS>{RGB_SPACE}</ofd:DefaultCS></ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>"
    );
    let date = format!(
        "{:04}-{:02}-{:02}",
        chrono::Datelike::year(&meta.date.0),
        chrono::Datelike::month(&meta.date.0),
        chrono::Datelike::day(&meta.date.0)
    );
    // A stable id: the same content gives the same package, whatever
    // toolchain built gongwen (SHA-256, not Rust's unstable hasher).
    let doc_id = {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in [meta.title.as_str(), meta.author.as_str(), &date] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        // The pages themselves: two forms alike but for the unit are two
        // documents.
        for page in &pages {
            h.update(page.as_bytes());
        }
        h.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    // The particulars as CustomData, in the order given; the 成文日期 as
    // both dates (the same content gives the same package).
    let custom: String = meta
        .particulars
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(name, v)| {
            format!(
                "<ofd:CustomData Name=\"{name}\">{}</ofd:CustomData>",
                esc(v)
            )
        })
        .collect();
    let custom = if custom.is_empty() {
        custom
    } else {
        format!("<ofd:CustomDatas>{custom}</ofd:CustomDatas>")
    };
    let ofd_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" DocType=\"{}\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>{doc_id}</ofd:DocID><ofd:Title>{}</ofd:Title><ofd:Author>{}</ofd:Author><ofd:CreationDate>{date}</ofd:CreationDate><ofd:ModDate>{date}</ofd:ModDate><ofd:Creator>gongwen</ofd:Creator><ofd:CreatorVersion>{}</ofd:CreatorVersion>{custom}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        if meta.archive { "OFD-A" } else { "OFD" },
        esc(&meta.title),
        esc(&meta.author),
        env!("CARGO_PKG_VERSION"),
    );

    let time = zip::DateTime::from_date_and_time(
        (chrono::Datelike::year(&meta.date.0) as u16).clamp(1980, 2107),
        chrono::Datelike::month(&meta.date.0) as u8,
        chrono::Datelike::day(&meta.date.0) as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let werr = |e: &dyn std::fmt::Display| Error::Export(format!("OFD 写出失败：{e}"));
    let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(name, options).map_err(|e| werr(&e))?;
        zip.write_all(bytes).map_err(|e| werr(&e))
    };
    put("OFD.xml", ofd_xml.as_bytes())?;
    put("Doc_0/Document.xml", document.as_bytes())?;
    put("Doc_0/PublicRes.xml", public_res.as_bytes())?;
    put("Doc_0/DocumentRes.xml", document_res.as_bytes())?;
    for (i, p) in pages.iter().enumerate() {
        put(&format!("Doc_0/Pages/Page_{i}/Content.xml"), p.as_bytes())?;
    }
    let image_files = images
        .iter()
        .map(|(file, data, _)| (file.as_str(), data.as_slice()));
    let profile_files = profiles.iter().copied();
    for (file, data) in font_files
        .iter()
        .map(|(f, d)| (f.as_str(), d.as_slice()))
        .chain(image_files)
        .chain(profile_files)
    {
        put(&format!("Doc_0/Res/{file}"), data)?;
    }
    let cursor = zip.finish().map_err(|e| werr(&e))?;
    Ok(cursor.into_inner())
}
