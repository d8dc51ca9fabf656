//! `gongwen serve`: a workspace in the browser for a folder of content
//! folders — the content in an editor beside its pages, rebuilt as it is
//! typed, and every product of the command line a click or a drop away.
//!
//! The files stay the one source of truth: every edit is saved to the
//! content folder (atomically), every product is written where the command
//! line writes it (`DIR/out`), and a change made on disk by anything else
//! shows in the page. Security (a local server on staff machines): bound to
//! loopback unless asked, a random token on every request, the Host header
//! checked (DNS rebinding), state changes only with the token in a header
//! (CSRF), paths confined to DIR, uploads bounded as the command line
//! bounds files, and no content ever interpreted as HTML in the page.

mod assets;
mod http;
mod products;
mod workspace;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::typeset::{Engine, FontOptions};

/// How the workspace is served.
pub struct Options {
    /// The folder of content folders.
    pub dir: PathBuf,
    /// The address to listen on (127.0.0.1 unless asked otherwise).
    pub host: IpAddr,
    /// 0: any free port.
    pub port: u16,
    pub fonts: FontOptions,
}

/// Where the workspace is served, once it listens.
#[derive(Debug, Clone)]
pub struct Served {
    pub addr: SocketAddr,
    pub token: String,
    /// The address to open: `http://HOST:PORT/?token=…`.
    pub url: String,
}

/// Serves until `stop` completes; `ready` is told where, once listening.
/// A runtime of its own: the caller needs none.
pub fn serve(
    opts: Options,
    ready: impl FnOnce(&Served),
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("无法启动服务：{e}")))?;
    runtime.block_on(async move {
        let root = std::fs::canonicalize(&opts.dir).map_err(|source| Error::Read {
            path: opts.dir.clone(),
            source,
        })?;
        if !root.is_dir() {
            return Err(Error::Usage(format!(
                "{} 不是文件夹：serve 需要一个存放公文内容文件夹的文件夹",
                opts.dir.display()
            )));
        }
        let listener = tokio::net::TcpListener::bind((opts.host, opts.port))
            .await
            .map_err(|e| {
                Error::Usage(format!(
                    "无法在 {}:{} 上提供服务：{e}（端口是否已被占用？可用 --port 换一个）",
                    opts.host, opts.port
                ))
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("无法提供服务：{e}")))?;
        let token = http::token()?;
        let served = Served {
            addr,
            url: format!("http://{addr}/?token={token}"),
            token: token.clone(),
        };
        let engine = Arc::new(Engine::new(&opts.fonts));
        let ws = Arc::new(workspace::Workspace::new(root, engine, token, addr));
        let app = http::router(ws);
        ready(&served);
        axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
            .map_err(|e| Error::Usage(format!("服务中断：{e}")))
    })
}
