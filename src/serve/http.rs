//! The workspace's HTTP surface: the routes, and the rules every request
//! passes first (Host, token, CSRF).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::workspace::{Workspace, MAX_CONTENT_BYTES};
use super::{assets, products};
use crate::error::{Error, Result};

/// The cookie that carries the token after the first visit.
const COOKIE: &str = "gongwen_token";
/// The header state-changing requests carry the token in.
pub const TOKEN_HEADER: &str = "x-gongwen-token";

/// A fresh random token (128 bits, hex).
pub fn token() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Usage(format!("无法生成访问令牌：{e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn router(ws: Arc<Workspace>) -> Router {
    let api = Router::new()
        .route("/api/docs", get(documents).post(products::create))
        .route("/api/starters", get(products::starters))
        .route(
            "/api/docs/{name}/files/{file}",
            get(read_file)
                .put(write_file)
                .layer(DefaultBodyLimit::max(MAX_CONTENT_BYTES)),
        )
        .route("/api/docs/{name}/state", get(state))
        .route("/api/docs/{name}/pages/{index}", get(page))
        .route("/api/docs/{name}/build", post(products::build))
        .route("/api/docs/{name}/forms", post(products::forms))
        .route(
            "/api/docs/{name}/returns",
            post(products::returns).layer(DefaultBodyLimit::max(products::MAX_UPLOAD_BYTES)),
        )
        .route("/api/docs/{name}/tasks", post(products::tasks))
        .route(
            "/api/docs/{name}/progress",
            post(products::progress).layer(DefaultBodyLimit::max(products::MAX_UPLOAD_BYTES)),
        )
        .route(
            "/api/import",
            post(products::import).layer(DefaultBodyLimit::max(products::MAX_UPLOAD_BYTES)),
        )
        .route("/out/{*path}", get(products::download));
    Router::new()
        .route("/", get(index))
        .route("/assets/{*file}", get(assets::asset))
        .merge(api)
        .layer(middleware::from_fn_with_state(ws.clone(), guard))
        .with_state(ws)
}

/// The rules every request passes before its route: a Host header naming
/// the served address (a page on another site that rebinds its name to
/// 127.0.0.1 is refused), the token (from the address on the first visit,
/// then the cookie), and for anything that changes state the token in a
/// header too, which another site's page cannot send (CSRF).
async fn guard(State(ws): State<Arc<Workspace>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !ws.hosts.iter().any(|h| h == host) {
        return refuse(
            StatusCode::FORBIDDEN,
            &format!("拒绝：请求的主机“{host}”不是本服务的地址"),
        );
    }
    let from_query = req.uri().query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("token="))
            .map(str::to_string)
    });
    let from_cookie = cookie(req.headers());
    let from_header = req
        .headers()
        .get(TOKEN_HEADER)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let valid = |t: &Option<String>| t.as_deref().is_some_and(|t| same(t, &ws.token));
    // The first visit: the token moves from the address into a cookie, and
    // the address is cleaned of it.
    if req.method() == Method::GET && req.uri().path() == "/" && valid(&from_query) {
        let mut r = Redirect::to("/").into_response();
        let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", ws.token);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        return r;
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD);
    let allowed = if safe {
        valid(&from_cookie) || valid(&from_header) || valid(&from_query)
    } else {
        valid(&from_header)
    };
    if !allowed {
        let (code, why) = if safe {
            (
                StatusCode::UNAUTHORIZED,
                "需要访问令牌：请打开 gongwen serve 启动时显示的完整地址（含 ?token=…）",
            )
        } else {
            (
                StatusCode::FORBIDDEN,
                "拒绝：修改类请求须在请求头中带访问令牌",
            )
        };
        return refuse(code, why);
    }
    let mut r = next.run(req).await;
    // axum's own refusals (a body over the limit, a malformed request) in
    // Chinese, like every other message.
    let plain = r
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/plain"));
    if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
        r = refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "内容超过上限：保存的文件最多 8 MB，一次上传最多 256 MB",
        );
    } else if plain && matches!(r.status().as_u16(), 400 | 415 | 422) {
        r = refuse(
            r.status(),
            "请求的格式不对，无法处理（请在工作区页面中操作）",
        );
    }
    let h = r.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    r
}

/// Compares in time independent of where the strings differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            kv.trim()
                .strip_prefix(&format!("{COOKIE}="))
                .map(str::to_string)
        })
}

fn refuse(code: StatusCode, why: &str) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{why}\n"),
    )
        .into_response()
}

/// An error as the page shows it: the message in Chinese, and its problems
/// at their lines when it has places.
pub struct Failure(pub StatusCode, pub Error);

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let code = match e {
            Error::Usage(_) => StatusCode::BAD_REQUEST,
            Error::Read { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        Failure(code, e)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let problems = super::workspace::problems(&self.1, std::path::Path::new(""));
        (
            self.0,
            Json(serde_json::json!({ "error": self.1.to_string(), "problems": problems })),
        )
            .into_response()
    }
}

/// The page itself, with the token for its requests' header.
async fn index(State(ws): State<Arc<Workspace>>) -> Response {
    let html = assets::INDEX.replace("{{TOKEN}}", &ws.token);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
            ),
        ],
        html,
    )
        .into_response()
}

async fn documents(State(ws): State<Arc<Workspace>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "root": ws.root.display().to_string(),
        "documents": ws.documents(),
        "editable": super::workspace::EDITABLE,
    }))
}

async fn read_file(
    State(ws): State<Arc<Workspace>>,
    UrlPath((name, file)): UrlPath<(String, String)>,
) -> std::result::Result<Response, Failure> {
    let path = ws.file(&name, &file)?;
    match std::fs::read(&path) {
        Ok(bytes) => Ok((
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            String::from_utf8_lossy(&bytes).into_owned(),
        )
            .into_response()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok((StatusCode::NOT_FOUND, "").into_response())
        }
        Err(source) => Err(Error::Read { path, source }.into()),
    }
}

/// Saves a file atomically (a reader never sees half of it), then returns
/// the rebuilt state.
async fn write_file(
    State(ws): State<Arc<Workspace>>,
    UrlPath((name, file)): UrlPath<(String, String)>,
    body: String,
) -> std::result::Result<Json<super::workspace::State>, Failure> {
    let path = ws.file(&name, &file)?;
    if !path
        .parent()
        .is_some_and(|d| d.join(crate::content::NOTICE_FILE).is_file())
    {
        return Err(Error::Usage(format!("没有“{name}”这一公文")).into());
    }
    crate::files::write_atomic(&path, body.as_bytes())?;
    Ok(Json(ws.state(&name).await?))
}

async fn state(
    State(ws): State<Arc<Workspace>>,
    UrlPath(name): UrlPath<String>,
) -> std::result::Result<Json<super::workspace::State>, Failure> {
    if !ws
        .folder(&name)?
        .join(crate::content::NOTICE_FILE)
        .is_file()
    {
        return Err(Error::Usage(format!("没有“{name}”这一公文")).into());
    }
    Ok(Json(ws.state(&name).await?))
}

#[derive(Deserialize)]
struct PageQuery {
    v: String,
}

/// A page's image; its address names the page's hash, so it never changes
/// and the browser may keep it.
async fn page(
    State(ws): State<Arc<Workspace>>,
    UrlPath((name, index)): UrlPath<(String, usize)>,
    Query(q): Query<PageQuery>,
) -> std::result::Result<Response, Failure> {
    ws.folder(&name)?;
    match ws.png(&name, index, &q.v).await {
        Some(png) => Ok((
            [
                (header::CONTENT_TYPE, "image/png"),
                (
                    header::CACHE_CONTROL,
                    "private, max-age=31536000, immutable",
                ),
            ],
            Body::from(png.as_ref().clone()),
        )
            .into_response()),
        None => Ok((StatusCode::NOT_FOUND, "该页已变化").into_response()),
    }
}
