//! The page's files, compiled into the binary: an office intranet has no
//! network to fetch them from. CodeMirror 5 (MIT) is vendored unmodified
//! under `assets/vendor/codemirror` with its licence.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// The page; `{{TOKEN}}` is replaced with the session's token.
pub const INDEX: &str = include_str!("assets/index.html");

const FILES: &[(&str, &str, &str)] = &[
    ("app.js", "text/javascript", include_str!("assets/app.js")),
    ("app.css", "text/css", include_str!("assets/app.css")),
    (
        "codemirror.js",
        "text/javascript",
        include_str!("assets/vendor/codemirror/codemirror.js"),
    ),
    (
        "codemirror.css",
        "text/css",
        include_str!("assets/vendor/codemirror/codemirror.css"),
    ),
    (
        "yaml.js",
        "text/javascript",
        include_str!("assets/vendor/codemirror/yaml.js"),
    ),
    (
        "lint.js",
        "text/javascript",
        include_str!("assets/vendor/codemirror/lint.js"),
    ),
    (
        "lint.css",
        "text/css",
        include_str!("assets/vendor/codemirror/lint.css"),
    ),
    (
        "LICENSE-codemirror.txt",
        "text/plain; charset=utf-8",
        include_str!("assets/vendor/codemirror/LICENSE"),
    ),
];

pub async fn asset(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, body)) => (
            [
                (header::CONTENT_TYPE, *kind),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "").into_response(),
    }
}
