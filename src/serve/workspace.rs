//! The workspace's state: the content folders under DIR, each one's last
//! good pages (kept while an edit is invalid), its problems at their lines,
//! and the files it was built from (to notice changes made on disk).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::Serialize;
use typst::layout::{Frame, FrameItem};
use typst_layout::Page;
use typst_layout::PagedDocument;

use crate::content::{DEPARTMENTS_FILE, NOTICE_FILE, STYLE_FILE};
use crate::error::{Error, Result, Severity};
use crate::forms::UNITS_FILE;
use crate::typeset::Engine;
use crate::Project;

/// The files of a content folder the workspace edits (and nothing else).
pub const EDITABLE: &[&str] = &[NOTICE_FILE, STYLE_FILE, UNITS_FILE, DEPARTMENTS_FILE];

/// Where products go: `DIR/out`, as `gongwen build -o out` run in DIR.
pub const OUT: &str = "out";

/// Resolution of the pages shown beside the editor.
const PREVIEW_DPI: f32 = 120.0;

/// The largest content file the editor saves (the command line reads any
/// size, but no 公文 comes near this).
pub const MAX_CONTENT_BYTES: usize = 8 * 1024 * 1024;

pub struct Workspace {
    pub root: PathBuf,
    pub engine: Arc<Engine>,
    pub token: String,
    /// Host headers accepted: the served address (and `localhost` with its
    /// port when serving on loopback).
    pub hosts: Vec<String>,
    docs: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Doc>>>>,
}

/// One content folder's last build.
#[derive(Default)]
pub struct Doc {
    /// Bumped by every build that changed the pages or the problems.
    version: u64,
    /// The last good pages.
    doc: Option<Arc<PagedDocument>>,
    pages: Vec<PageInfo>,
    problems: Vec<Problem>,
    /// The files the build read (and the standard ones even when absent),
    /// as they were: a change on disk rebuilds.
    stamps: Vec<(PathBuf, Option<(SystemTime, u64)>)>,
    /// Rendered pages by their hash (the current pages only).
    png: HashMap<String, Arc<Vec<u8>>>,
}

/// A page as the browser lists it: its hash (the image's address changes
/// when the page does), its size, and its text (to scroll to where the
/// editor is).
#[derive(Serialize, Clone)]
pub struct PageInfo {
    pub hash: String,
    pub width: f64,
    pub height: f64,
    pub text: String,
}

/// A problem at its place, as the command line prints it.
#[derive(Serialize, Clone, Debug)]
pub struct Problem {
    pub severity: &'static str,
    /// The file's name in the content folder ("" when it is not one file).
    pub file: String,
    /// 1-based; 0 when it has no single place.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What the page shows of a document.
#[derive(Serialize)]
pub struct State {
    pub version: u64,
    pub pages: Vec<PageInfo>,
    pub problems: Vec<Problem>,
    /// Each editable file's stamp (its modification time and size), to tell
    /// the page that a file changed on disk.
    pub files: HashMap<String, Option<String>>,
}

impl Workspace {
    pub fn new(root: PathBuf, engine: Arc<Engine>, token: String, addr: SocketAddr) -> Workspace {
        let mut hosts = vec![addr.to_string()];
        if addr.ip().is_loopback() {
            hosts.push(format!("localhost:{}", addr.port()));
        }
        Workspace {
            root,
            engine,
            token,
            hosts,
            docs: Mutex::new(HashMap::new()),
        }
    }

    /// The content folders: folders of DIR holding a 公文.yaml (not `out`,
    /// not hidden ones), sorted by name.
    pub fn documents(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                let ok = e.file_type().ok()?.is_dir()
                    && self.folder(&name).is_ok()
                    && e.path().join(NOTICE_FILE).is_file();
                ok.then_some(name)
            })
            .collect();
        names.sort();
        names
    }

    /// The folder of document `name`: one plain name under DIR (no `..`, no
    /// separators, not hidden, not `out`), and no link leading out of DIR.
    /// It need not exist yet (a new document).
    pub fn folder(&self, name: &str) -> Result<PathBuf> {
        let mut parts = Path::new(name).components();
        let plain = matches!(
            (parts.next(), parts.next()),
            (Some(Component::Normal(_)), None)
        );
        if !plain
            || name.starts_with('.')
            || name == OUT
            || name.contains(['/', '\\', ':'])
            || name.chars().count() > 100
        {
            return Err(Error::Usage(format!(
                "“{name}”不能作为文件夹名：只能是 {} 下的一个文件夹名",
                self.root.display()
            )));
        }
        let dir = self.root.join(name);
        confined(&self.root, &dir)?;
        Ok(dir)
    }

    /// An editable file of document `name`.
    pub fn file(&self, name: &str, file: &str) -> Result<PathBuf> {
        if !EDITABLE.contains(&file) {
            return Err(Error::Usage(format!(
                "不能在工作区编辑“{file}”：可编辑 {}",
                EDITABLE.join("、")
            )));
        }
        let path = self.folder(name)?.join(file);
        confined(&self.root, &path)?;
        Ok(path)
    }

    fn doc(&self, name: &str) -> Arc<tokio::sync::Mutex<Doc>> {
        let mut docs = self.docs.lock().unwrap_or_else(|p| p.into_inner());
        docs.entry(name.to_string()).or_default().clone()
    }

    /// The document's state, rebuilt first if any file it was built from
    /// changed (or it was never built).
    pub async fn state(self: &Arc<Self>, name: &str) -> Result<State> {
        let dir = self.folder(name)?;
        let doc = self.doc(name);
        let mut d = doc.lock().await;
        let stale = d.stamps.is_empty() || d.stamps.iter().any(|(p, s)| stamp(p) != *s);
        if stale {
            let ws = self.clone();
            let dir2 = dir.clone();
            let built = tokio::task::spawn_blocking(move || ws.build(&dir2))
                .await
                .map_err(|e| Error::Usage(format!("生成中断：{e}")))?;
            d.apply(built);
        }
        Ok(State {
            version: d.version,
            pages: d.pages.clone(),
            problems: d.problems.clone(),
            files: EDITABLE
                .iter()
                .map(|f| (f.to_string(), stamp_text(&dir.join(f))))
                .collect(),
        })
    }

    /// Builds the document in `dir` (blocking: run off the async threads).
    fn build(&self, dir: &Path) -> Built {
        let project = match Project::load(dir) {
            Ok(p) => p,
            Err(e) => return Built::Failed(problems(&e, dir), inputs(dir, &[])),
        };
        let built = crate::pipeline::build(&self.engine, &project);
        crate::typeset::evict_cache();
        match built {
            Ok(b) => {
                let warnings = b
                    .findings
                    .iter()
                    .map(|f| located(Severity::Warning, &f.at, dir))
                    .collect();
                let files = inputs(dir, &b.inputs);
                Built::Done(Arc::new(b.doc), warnings, files)
            }
            Err(e) => Built::Failed(problems(&e, dir), inputs(dir, &[])),
        }
    }

    /// Page `index`'s image, when `hash` is still that page's.
    pub async fn png(
        self: &Arc<Self>,
        name: &str,
        index: usize,
        hash: &str,
    ) -> Option<Arc<Vec<u8>>> {
        let doc = self.doc(name);
        let mut d = doc.lock().await;
        if d.pages.get(index).map(|p| p.hash.as_str()) != Some(hash) {
            return None;
        }
        if let Some(png) = d.png.get(hash) {
            return Some(png.clone());
        }
        let pages = d.doc.clone()?;
        let png = tokio::task::spawn_blocking(move || {
            let page = pages.pages().get(index)?;
            crate::output::preview_png_page(page, PREVIEW_DPI).ok()
        })
        .await
        .ok()??;
        let png = Arc::new(png);
        d.png.insert(hash.to_string(), png.clone());
        Some(png)
    }

    /// Forgets a document's build (after its folder changed wholesale).
    pub fn forget(&self, name: &str) {
        let mut docs = self.docs.lock().unwrap_or_else(|p| p.into_inner());
        docs.remove(name);
    }
}

/// A build's outcome, before it is applied to the document's state.
enum Built {
    Done(Arc<PagedDocument>, Vec<Problem>, Vec<PathBuf>),
    Failed(Vec<Problem>, Vec<PathBuf>),
}

impl Doc {
    fn apply(&mut self, built: Built) {
        let (problems, files) = match built {
            Built::Done(doc, warnings, files) => {
                self.pages = doc.pages().iter().map(page_info).collect();
                let keep: Vec<&str> = self.pages.iter().map(|p| p.hash.as_str()).collect();
                self.png.retain(|h, _| keep.contains(&h.as_str()));
                self.doc = Some(doc);
                (warnings, files)
            }
            // The last good pages stay.
            Built::Failed(problems, files) => (problems, files),
        };
        self.problems = problems;
        self.stamps = files
            .into_iter()
            .map(|p| {
                let s = stamp(&p);
                (p, s)
            })
            .collect();
        self.version += 1;
    }
}

/// The files a build of `dir` depends on: the editable ones (present or
/// not: one created on disk is noticed), the style and template overrides
/// and what the document used.
fn inputs(dir: &Path, used: &[PathBuf]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = EDITABLE.iter().map(|f| dir.join(f)).collect();
    files.push(dir.join(crate::content::TEMPLATE_DIR));
    for p in used {
        if !files.contains(p) {
            files.push(p.clone());
        }
    }
    files
}

/// A file's modification time and size, or none when it is absent.
fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

fn stamp_text(path: &Path) -> Option<String> {
    let (t, len) = stamp(path)?;
    let ns = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    Some(format!("{ns}-{len}"))
}

/// Refuses a path that leads out of `root` (through a link, say).
fn confined(root: &Path, path: &Path) -> Result<()> {
    // The deepest part that exists, resolved, must be inside the root.
    let mut existing = path;
    while existing.symlink_metadata().is_err() {
        match existing.parent() {
            Some(p) => existing = p,
            None => break,
        }
    }
    let real = std::fs::canonicalize(existing).map_err(|source| Error::Read {
        path: existing.to_path_buf(),
        source,
    })?;
    if real.starts_with(root) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{} 指向工作区文件夹之外，不予读写",
            path.display()
        )))
    }
}

/// What the browser lists of a page.
fn page_info(page: &Page) -> PageInfo {
    let mut text = String::new();
    collect_text(&page.frame, &mut text);
    PageInfo {
        hash: format!("{:032x}", typst::utils::hash128(page)),
        width: page.frame.width().to_pt(),
        height: page.frame.height().to_pt(),
        text,
    }
}

fn collect_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => collect_text(&g.frame, out),
            // (Without the joiners the punctuation grid adds.)
            FrameItem::Text(t) => out.extend(t.text.chars().filter(|c| *c != '\u{2060}')),
            _ => {}
        }
    }
}

/// An error as problems at their places.
pub fn problems(e: &Error, dir: &Path) -> Vec<Problem> {
    match e {
        Error::Content(at) => vec![located(Severity::Error, at, dir)],
        Error::Checks(findings) => findings
            .iter()
            .map(|f| {
                let mut p = located(f.severity, &f.at, dir);
                p.message = relative(&f.to_string(), dir);
                p
            })
            .collect(),
        other => vec![Problem {
            severity: "error",
            file: String::new(),
            line: 0,
            column: 0,
            message: other.to_string(),
        }],
    }
}

fn located(severity: Severity, at: &crate::error::Located, dir: &Path) -> Problem {
    let file = at
        .file
        .strip_prefix(dir)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| {
            at.file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    Problem {
        severity: match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        file,
        line: at.line,
        column: at.column,
        message: relative(&at.to_string(), dir),
    }
}

/// A message with the content folder's path taken off the file it names
/// (the page shows one folder at a time).
fn relative(message: &str, dir: &Path) -> String {
    if dir.as_os_str().is_empty() {
        return message.to_string();
    }
    let prefix = format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR);
    message.replace(&prefix, "")
}
