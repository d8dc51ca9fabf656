//! What the command line writes, from the page: the document's files, the
//! forms, the returns' 汇总, 任务分工 and 督办, a new document from a
//! starter or a draft. Each is written where the command line run in DIR
//! writes it (`out/`), and the page links to the files.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::Failure;
use super::workspace::{Workspace, OUT};
use crate::error::{Error, Result};
use crate::output::{self, Beside, Emit};
use crate::Project;

/// The most one upload request may carry (a batch of returned workbooks).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;
/// Resolution of the 汇总表's pages shown in the page.
const SUMMARY_DPI: f32 = 96.0;
/// The most files one upload may hold.
const MAX_UPLOAD_FILES: usize = 2000;
/// The largest single file kept from an upload: the largest any reader of
/// the command line accepts (a .docx draft); each reader then applies its
/// own limit with its own message, as on the command line.
const MAX_UPLOAD_FILE: u64 = crate::import::MAX_DRAFT_BYTES;

type Answer = std::result::Result<Json<Value>, Failure>;

/// Runs blocking work (a build, a batch of forms) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Usage(format!("中断：{e}")))?
}

/// The out/ folder, and a written file's address under it for the page.
fn out_dir(ws: &Workspace) -> PathBuf {
    ws.root.join(OUT)
}

fn links(ws: &Workspace, files: &[PathBuf]) -> Vec<Value> {
    let out = out_dir(ws);
    files
        .iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(&out).ok()?;
            if rel.starts_with(".gongwen") {
                return None;
            }
            let url = rel
                .components()
                .map(|c| percent(&c.as_os_str().to_string_lossy()))
                .collect::<Vec<_>>()
                .join("/");
            Some(
                json!({ "name": format!("{OUT}/{}", rel.display()), "url": format!("/out/{url}") }),
            )
        })
        .collect()
}

/// A path segment as it goes into an address (everything but the
/// unreserved characters percent-encoded).
fn percent(s: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

pub async fn starters() -> Json<Value> {
    Json(json!(crate::starters::KINDS
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()))
}

#[derive(Deserialize)]
pub struct NewDoc {
    kind: String,
    name: String,
}

/// A new document from one of the starters (as `gongwen new`).
pub async fn create(State(ws): State<Arc<Workspace>>, Json(new): Json<NewDoc>) -> Answer {
    let dir = ws.folder(new.name.trim())?;
    crate::starters::write(&new.kind, &dir)?;
    Ok(Json(json!({ "name": new.name.trim() })))
}

#[derive(Deserialize)]
pub struct BuildAsk {
    /// pdf, ofd, docx, png; pdfa for the archive copy.
    formats: Vec<String>,
}

/// The document's files, as `gongwen build -o out --emit …`; the PDF/A copy
/// as `--pdf-standard a-2b -o out/PDF-A` (beside the PDF, not over it).
pub async fn build(
    State(ws): State<Arc<Workspace>>,
    UrlPath(name): UrlPath<String>,
    Json(ask): Json<BuildAsk>,
) -> Answer {
    let dir = ws.folder(&name)?;
    let mut emit = Vec::new();
    let mut archive = false;
    for f in &ask.formats {
        match f.as_str() {
            "pdf" => emit.push(Emit::Pdf),
            "ofd" => emit.push(Emit::Ofd),
            "docx" => emit.push(Emit::Docx),
            "pdfa" => archive = true,
            other => return Err(Error::Usage(format!("没有“{other}”这种格式")).into()),
        }
    }
    let out = out_dir(&ws);
    let engine = ws.engine.clone();
    let files = blocking(move || {
        let mut files = Vec::new();
        let mut project = Project::load(&dir)?;
        if !emit.is_empty() {
            let built = crate::pipeline::build(&engine, &project);
            crate::typeset::evict_cache();
            files.extend(output::write_build(&project, &built?, &out, &emit, 144.0)?);
        }
        if archive {
            project.style.pdf_standard = "a-2b".into();
            let built = crate::pipeline::build(&engine, &project);
            crate::typeset::evict_cache();
            files.extend(output::write_build(
                &project,
                &built?,
                &out.join("PDF-A"),
                &[Emit::Pdf],
                144.0,
            )?);
        }
        Ok(files)
    })
    .await?;
    Ok(Json(json!({ "files": links(&ws, &files) })))
}

#[derive(Deserialize)]
pub struct FormsAsk {
    #[serde(default)]
    xlsx: bool,
}

/// Every unit's blank form (as `gongwen forms --xlsx`), and a zip of them.
pub async fn forms(
    State(ws): State<Arc<Workspace>>,
    UrlPath(name): UrlPath<String>,
    Json(ask): Json<FormsAsk>,
) -> Answer {
    let dir = ws.folder(&name)?;
    let out = out_dir(&ws);
    let engine = ws.engine.clone();
    let (files, failures, zip) = blocking(move || {
        let opts = crate::forms::Options {
            units: None,
            date: None,
            xlsx: ask.xlsx,
            beside: Beside::default(),
            progress: None,
        };
        let r = crate::forms::distribute(&engine, &dir, &out, &opts)?;
        let zip = r.out.dir.join("填报表.zip");
        write_zip(&zip, &r.out.dir, &r.out.files)?;
        let failures: Vec<String> = r
            .failures
            .iter()
            .map(|(n, e)| format!("{n}：{e}"))
            .collect();
        Ok((r.out.files, failures, zip))
    })
    .await?;
    Ok(Json(json!({
        "files": links(&ws, &files),
        "zip": links(&ws, &[zip]).first(),
        "failures": failures,
    })))
}

/// A zip of `files` (named relative to `base`), written atomically.
fn write_zip(path: &Path, base: &Path, files: &[PathBuf]) -> Result<()> {
    let werr =
        |e: &dyn std::fmt::Display| Error::Export(format!("无法写出 {}：{e}", path.display()));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for f in files {
        let Ok(rel) = f.strip_prefix(base) else {
            continue;
        };
        let bytes = std::fs::read(f).map_err(|source| Error::Read {
            path: f.clone(),
            source,
        })?;
        zip.start_file(rel.to_string_lossy(), options)
            .map_err(|e| werr(&e))?;
        zip.write_all(&bytes).map_err(|e| werr(&e))?;
    }
    let bytes = zip.finish().map_err(|e| werr(&e))?.into_inner();
    crate::files::write_atomic(path, &bytes)
}

/// Saves the files of an upload into `dir` (created), each under its own
/// name only (no folders, nothing hidden), bounded in size and count.
async fn save_upload(
    mut form: Multipart,
    dir: &Path,
) -> Result<(Vec<PathBuf>, Vec<(String, String)>)> {
    let bad = |e: &dyn std::fmt::Display| Error::Usage(format!("上传的文件无法读取：{e}"));
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut saved = Vec::new();
    let mut fields = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(|e| bad(&e))? {
        let Some(original) = field.file_name().map(str::to_string) else {
            let key = field.name().unwrap_or("").to_string();
            let value = field.text().await.map_err(|e| bad(&e))?;
            fields.push((key, value));
            continue;
        };
        if saved.len() >= MAX_UPLOAD_FILES {
            return Err(Error::Usage(format!(
                "一次最多上传 {MAX_UPLOAD_FILES} 个文件"
            )));
        }
        let name = upload_name(&original)?;
        let path = dir.join(&name);
        let mut file = std::fs::File::create(&path).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        let mut size = 0u64;
        while let Some(chunk) = field.chunk().await.map_err(|e| bad(&e))? {
            size += chunk.len() as u64;
            if size > MAX_UPLOAD_FILE {
                drop(file);
                let _ = std::fs::remove_file(&path);
                return Err(Error::Usage(format!(
                    "“{name}”超过 {} MB，不予读取",
                    MAX_UPLOAD_FILE / 1024 / 1024
                )));
            }
            file.write_all(&chunk).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        }
        saved.push(path);
    }
    Ok((saved, fields))
}

/// An uploaded file's own name, without any folder a browser sent with it.
fn upload_name(original: &str) -> Result<String> {
    let name = original
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    if name.is_empty()
        || name.starts_with('.')
        || name.chars().any(char::is_control)
        || name.chars().count() > 200
    {
        return Err(Error::Usage(format!("文件名“{original}”不可用")));
    }
    Ok(name)
}

/// Files dropped on the page for document `name`, kept in its folder
/// `keep`; then what reading them needs: the content folder, that folder,
/// out/ and the engine.
async fn received(
    ws: &Workspace,
    name: &str,
    form: Multipart,
    keep: &str,
) -> Result<(PathBuf, PathBuf, PathBuf, Arc<crate::typeset::Engine>)> {
    let dir = ws.folder(name)?;
    let data = dir.join(keep);
    save_upload(form, &data).await?;
    Ok((dir, data, out_dir(ws), ws.engine.clone()))
}

/// Returned forms dropped on the page: kept in the content folder's 回收
/// folder (where the next drop adds to them), then read as `gongwen fill
/// --data 回收` reads them.
pub async fn returns(
    State(ws): State<Arc<Workspace>>,
    UrlPath(name): UrlPath<String>,
    form: Multipart,
) -> Answer {
    let (dir, data, out, engine) = received(&ws, &name, form, "回收").await?;
    let r = blocking(move || {
        let opts = crate::forms::Options {
            units: None,
            date: None,
            xlsx: false,
            beside: Beside::default(),
            progress: None,
        };
        crate::forms::collect(&engine, &dir, &data, &out, &opts)
    })
    .await?;
    // Files are named as the page shows them: within the workspace.
    let local = |text: &str| {
        text.replace(
            &format!("{}{}", ws.root.display(), std::path::MAIN_SEPARATOR),
            "",
        )
    };
    let read =
        |file: &str| local(&std::fs::read_to_string(r.out.dir.join(file)).unwrap_or_default());
    let summary = csv_rows(&r.out.dir.join("汇总表.csv"));
    // The 汇总表's pages, drawn as the document's pages are.
    let pages: Vec<String> = r
        .summary_pages
        .iter()
        .flat_map(|doc| doc.pages())
        .filter_map(|page| output::preview_png_page(page, SUMMARY_DPI).ok())
        .map(|png| {
            use base64::Engine as _;
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png)
            )
        })
        .collect();
    Ok(Json(json!({
        "report": local(&r.text()),
        "reminders": read("催报名单.txt"),
        "summary": summary,
        "pages": pages,
        "errors": r.has_errors(),
        "files": links(&ws, &r.out.files),
    })))
}

/// A CSV file's rows (for showing the 汇总 in the page).
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let Ok(mut reader) = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
    else {
        return Vec::new();
    };
    reader
        .records()
        .flatten()
        .map(|r| {
            r.iter()
                .map(|c| c.trim_start_matches('\u{feff}').to_string())
                .collect()
        })
        .collect()
}

/// 任务分工 (as `gongwen tasks`).
pub async fn tasks(State(ws): State<Arc<Workspace>>, UrlPath(name): UrlPath<String>) -> Answer {
    let dir = ws.folder(&name)?;
    let out = out_dir(&ws);
    let engine = ws.engine.clone();
    let r = blocking(move || crate::tasks::assign(&engine, &dir, &out, Beside::default())).await?;
    let table = csv_rows(&r.out.dir.join("任务分工.csv"));
    Ok(Json(json!({
        "tasks": r.tasks.len(),
        "table": table,
        "files": links(&ws, &r.out.files),
    })))
}

/// Progress returned by the departments: kept in the content folder's 进度
/// folder, read as `gongwen tasks --data 进度` reads it (judged today).
pub async fn progress(
    State(ws): State<Arc<Workspace>>,
    UrlPath(name): UrlPath<String>,
    form: Multipart,
) -> Answer {
    let (dir, data, out, engine) = received(&ws, &name, form, "进度").await?;
    let r = blocking(move || {
        let today = crate::content::Date(chrono::Local::now().date_naive());
        crate::tasks::follow_up(&engine, &dir, &data, &out, today)
    })
    .await?;
    let table = csv_rows(&r.out.dir.join("督办汇总.csv"));
    let root = format!("{}{}", ws.root.display(), std::path::MAIN_SEPARATOR);
    let problems: Vec<String> = r.problems.iter().map(|p| p.replace(&root, "")).collect();
    Ok(Json(json!({
        "problems": problems,
        "overdue": r.overdue,
        "table": table,
        "files": links(&ws, &r.out.files),
    })))
}

/// A draft dropped on the page (as `gongwen import`): a new content folder
/// named after the file (or the name given), never over an existing one.
pub async fn import(State(ws): State<Arc<Workspace>>, form: Multipart) -> Answer {
    let scratch =
        tempfile::tempdir().map_err(|e| Error::Usage(format!("无法建立临时文件夹：{e}")))?;
    let (files, fields) = save_upload(form, scratch.path()).await?;
    let [draft] = files.as_slice() else {
        return Err(Error::Usage("请上传一个 .docx 或 .txt 文稿".into()).into());
    };
    let given = fields
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let stem = draft
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = given.unwrap_or(stem);
    if ws.folder(&name)?.exists() {
        let base = name.clone();
        let mut n = 2;
        while ws.folder(&format!("{base}-{n}"))?.exists() {
            n += 1;
        }
        name = format!("{base}-{n}");
    }
    let dir = ws.folder(&name)?;
    let draft = draft.clone();
    let imported = blocking(move || crate::import::import(&draft, &dir)).await?;
    let mut report = imported.recognised.report();
    report.extend(
        imported
            .recognised
            .unsure
            .iter()
            .map(|(key, why)| format!("请核对（{key}）：{why}")),
    );
    drop(scratch);
    ws.forget(&name);
    Ok(Json(json!({ "name": name, "report": report })))
}

/// A file under out/, as a download.
pub async fn download(
    State(ws): State<Arc<Workspace>>,
    UrlPath(path): UrlPath<String>,
) -> std::result::Result<Response, Failure> {
    let out = out_dir(&ws);
    let rel = Path::new(&path);
    if path.is_empty()
        || !rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Error::Usage(format!("“{path}”不是 out 下的文件")).into());
    }
    let file = out.join(rel);
    let real = std::fs::canonicalize(&file).map_err(|source| Error::Read {
        path: file.clone(),
        source,
    })?;
    let root = std::fs::canonicalize(&out).map_err(|source| Error::Read {
        path: out.clone(),
        source,
    })?;
    if !real.starts_with(&root) || !real.is_file() {
        return Err(Error::Usage(format!("“{path}”不是 out 下的文件")).into());
    }
    let bytes = std::fs::read(&real).map_err(|source| Error::Read {
        path: real.clone(),
        source,
    })?;
    let ext = crate::office::files::extension(&real);
    let kind = match ext.as_str() {
        "pdf" => "application/pdf",
        "ofd" => "application/ofd",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    let file_name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", percent(&file_name)),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from(bytes),
    )
        .into_response())
}
