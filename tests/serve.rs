//! `gongwen serve`: the security rules over HTTP, and the workspace driven
//! in a real browser (headless Chromium over WebDriver) as a user would:
//! the pages shown, typing redrawn and saved, an error at its line, a
//! returned workbook dropped into the 汇总.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{canonical_dir, canonical_return, repo};

/// A `gongwen serve` process on a folder of its own, as a user starts it.
struct Server {
    child: Child,
    url: String,
    token: String,
    port: u16,
    dir: tempfile::TempDir,
}

impl Server {
    /// Serves a copy of the canonical notice (and any of `extra` content
    /// folders of the repository).
    fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&canonical_dir(), &dir.path().join("2019-315"));
        for name in extra {
            copy_dir(&repo().join("content").join(name), &dir.path().join(name));
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongwen"))
            .args(["serve", "--no-open", "--ignore-system-fonts"])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "printed {url:?}");
        let token = url.split("token=").nth(1).unwrap().to_string();
        let port = url["http://127.0.0.1:".len()..]
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        Server {
            child,
            url,
            token,
            port,
            dir,
        }
    }

    /// A raw request (any Host header, any body); the status and the body.
    fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
            req.push_str(&format!("Host: 127.0.0.1:{}\r\n", self.port));
        }
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        // A server may answer (and close) before taking a refused body.
        let _ = s.write_all(body);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, text)
    }

    fn auth(&self) -> (&'static str, String) {
        ("X-Gongwen-Token", self.token.clone())
    }

    fn auth_ref(&self) -> (&'static str, &str) {
        ("X-Gongwen-Token", &self.token)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The security rules, each as a request that must be refused (and the
/// same request made right, accepted).
#[test]
fn every_request_needs_the_token_the_served_host_and_for_changes_a_header() {
    let s = Server::start(&[]);
    let (k, t) = s.auth();
    let t = t.as_str();
    let cookie = format!("gongwen_token={t}");

    // Without the token: 401, for the page and for the API.
    assert_eq!(s.raw("GET", "/", &[], b"").0, 401);
    assert_eq!(s.raw("GET", "/api/docs", &[], b"").0, 401);
    assert_eq!(s.raw("GET", "/api/docs", &[(k, "0123")], b"").0, 401);
    // The printed address: the token moves into a cookie the page's
    // scripts cannot read, sent to this site only.
    let (code, head) = s.raw(
        "GET",
        &s.url["http://127.0.0.1:".len() + s.port.to_string().len()..],
        &[],
        b"",
    );
    assert_eq!(code, 303, "{head}");
    let set = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_default();
    assert!(
        set.contains(&cookie) && set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let (code, page) = s.raw("GET", "/", &[("Cookie", &cookie)], b"");
    assert_eq!(code, 200);
    assert!(
        page.contains("gongwen 工作区")
            && page
                .to_ascii_lowercase()
                .contains("content-security-policy"),
        "{page}"
    );
    assert_eq!(
        s.raw("GET", "/api/docs", &[("Cookie", &cookie)], b"").0,
        200
    );

    // DNS rebinding: a page on another name that resolves to 127.0.0.1.
    let (code, body) = s.raw(
        "GET",
        "/api/docs",
        &[("Host", "evil.example:80"), ("Cookie", &cookie)],
        b"",
    );
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("evil.example"), "{body}");
    let other = format!("evil.example:{}", s.port);
    assert_eq!(
        s.raw("GET", "/api/docs", &[("Host", &other), (k, t)], b"")
            .0,
        403
    );
    let localhost = format!("localhost:{}", s.port);
    assert_eq!(
        s.raw("GET", "/api/docs", &[("Host", &localhost), (k, t)], b"")
            .0,
        200
    );

    // CSRF: a change with the cookie only (what another site's form would
    // send) is refused, and the file is untouched; with the header it saves.
    let file = s.dir.path().join("2019-315/公文.yaml");
    let before = std::fs::read(&file).unwrap();
    let path = "/api/docs/2019-315/files/%E5%85%AC%E6%96%87.yaml";
    let (code, _) = s.raw("PUT", path, &[("Cookie", &cookie)], b"x: 1");
    assert_eq!(code, 403);
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let edited =
        String::from_utf8(before.clone())
            .unwrap()
            .replacen("认真贯彻落实", "认真贯彻执行", 1);
    let (code, body) = s.raw("PUT", path, &[(k, t)], edited.as_bytes());
    assert_eq!(code, 200, "{body}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    assert!(body.contains("认真贯彻执行"), "the rebuilt pages' text");

    // Paths stay in the folder: no `..`, no absolute paths, no link out,
    // only the content files.
    for bad in [
        "/api/docs/..%2F..%2Fetc/files/%E5%85%AC%E6%96%87.yaml",
        "/api/docs/../files/%E5%85%AC%E6%96%87.yaml",
        "/api/docs/%2Fetc/files/%E5%85%AC%E6%96%87.yaml",
        "/api/docs/2019-315/files/..%2F..%2Fsecret",
        "/api/docs/2019-315/files/%E5%A1%AB%E6%8A%A5%E5%8D%95%E4%BD%8D.yaml%2F..%2F..%2Fx",
        "/api/docs/.gongwen/state",
        "/out/..%2F2019-315%2F%E5%85%AC%E6%96%87.yaml",
        "/out/%2Fetc%2Fpasswd",
    ] {
        let (code, body) = s.raw("GET", bad, &[(k, t)], b"");
        assert!(matches!(code, 400 | 404), "{bad}: {code} {body}");
        assert!(!body.contains("root:"), "{bad}");
    }
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("公文.yaml"), "标题: 外面\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), s.dir.path().join("link")).unwrap();
    let (code, body) = s.raw(
        "GET",
        "/api/docs/link/files/%E5%85%AC%E6%96%87.yaml",
        &[(k, t)],
        b"",
    );
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("之外"), "{body}");
    let (code, _) = s.raw(
        "PUT",
        "/api/docs/link/files/%E5%85%AC%E6%96%87.yaml",
        &[(k, t)],
        b"x: 1",
    );
    assert_eq!(code, 400);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("公文.yaml")).unwrap(),
        "标题: 外面\n"
    );

    // A file over the editor's limit: refused in Chinese, the file kept.
    let huge = vec![b'#'; 9 * 1024 * 1024];
    let (code, body) = s.raw("PUT", path, &[(k, t)], &huge);
    assert_eq!(code, 413, "{body}");
    assert!(body.contains("超过上限"), "{body}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);

    // Uploads: bounded in size as the command line bounds a draft.
    let big = vec![b'a'; 51 * 1024 * 1024];
    let (code, body) = upload(&s, "/api/import", &[("draft.txt", &big)]);
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("超过 50 MB"), "{body}");
    assert!(!s.dir.path().join("draft").exists());
    // A draft the command line refuses is refused with its message.
    let (code, body) = upload(&s, "/api/import", &[("x.docx", b"PK\x03\x04 not a zip")]);
    assert!(matches!(code, 400 | 422), "{body}");
    assert!(!s.dir.path().join("x").join("公文.yaml").exists());
}

/// A multipart upload of `files`, with the token header.
fn upload(s: &Server, path: &str, files: &[(&str, &[u8])]) -> (u16, String) {
    let boundary = "gongwen-test-boundary";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let ct = format!("multipart/form-data; boundary={boundary}");
    let (k, t) = s.auth();
    s.raw("POST", path, &[(k, &t), ("Content-Type", &ct)], &body)
}

// --- In a real browser ----------------------------------------------------

/// Chromium and its WebDriver, or why the browser tests cannot run (a
/// failure under CI, where `.ci/run` installs them).
fn browser() -> Option<(PathBuf, PathBuf)> {
    let found = |name: &str| {
        ["/usr/bin", "/usr/local/bin"]
            .iter()
            .map(|d| Path::new(d).join(name))
            .find(|p| p.is_file())
    };
    match (found("chromium"), found("chromedriver")) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            let why = "Chromium and its driver are not installed: apt-get install chromium chromium-driver";
            if std::env::var_os("GONGWEN_CI").is_some() {
                panic!("{why}");
            }
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// A chromedriver on a free port, stopped with the test.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn session(chromium: &Path, driver: &Path, profile: &Path) -> (Driver, fantoccini::Client) {
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let d = Driver(child);
    let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1500,950",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    }))
    .unwrap();
    let start = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match fantoccini::ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (d, c),
            Err(e) if start.elapsed() < Duration::from_secs(30) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("chromedriver: {e}"),
        }
    }
}

/// Polls `probe` (a script returning a value) until `ok` holds of it.
async fn until(
    c: &fantoccini::Client,
    what: &str,
    probe: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let v = c.execute(probe, vec![]).await.unwrap();
        if ok(&v) {
            return v;
        }
        if start.elapsed() > Duration::from_secs(60) {
            panic!("{what}: still {v}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The pages' images: their addresses, and whether each has loaded.
const PAGES: &str = "return Array.from(document.querySelectorAll('#pages img')).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]);";

fn loaded(v: &serde_json::Value) -> bool {
    v.as_array()
        .is_some_and(|a| !a.is_empty() && a.iter().all(|p| p[1] == true))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_chromium_the_pages_follow_the_typing_errors_show_at_their_line_and_returns_reach_the_summary(
) {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let s = Server::start(&[]);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, c) = session(&chromium, &chromedriver, profile.path()).await;

    // The printed address opens the workspace on the first document, its
    // pages drawn.
    c.goto(&s.url).await.unwrap();
    let first = until(&c, "the pages", PAGES, loaded).await;
    let pages = first.as_array().unwrap().len();
    assert_eq!(pages, 8, "the canonical notice has 8 pages");
    assert!(
        c.current_url().await.unwrap().as_str().ends_with('/'),
        "the token left the address"
    );

    // Typing: the cursor at the end of the 主送机关 line's text, a word typed
    // with real key events; the file on disk changes and page 1 is redrawn.
    let line = c
        .execute(
            "const cm = document.querySelector('.CodeMirror').CodeMirror; \
             for (let i = 0; i < cm.lineCount(); i++) { if (cm.getLine(i).startsWith('主送机关')) { \
               cm.focus(); cm.setCursor({line: i, ch: cm.getLine(i).length - 1}); return i; } } return -1;",
            vec![],
        )
        .await
        .unwrap();
    assert!(line.as_i64().unwrap() >= 0);
    let area = c
        .find(fantoccini::Locator::Css(".CodeMirror textarea"))
        .await
        .unwrap();
    area.send_keys("，市档案局").await.unwrap();
    let file = s.dir.path().join("2019-315/公文.yaml");
    let start = Instant::now();
    while !std::fs::read_to_string(&file)
        .unwrap()
        .contains("各区市场监管局，市档案局：")
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the typing never reached the file"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first_src = first[0][0].clone();
    let redrawn = until(&c, "page 1 redrawn", PAGES, |v| {
        loaded(v) && v[0][0] != first_src
    })
    .await;
    // Only the page that changed was redrawn.
    assert_eq!(
        redrawn[pages - 1][0],
        first[pages - 1][0],
        "the last page did not change"
    );
    let state = until(
        &c,
        "the status",
        "return document.getElementById('status').textContent;",
        |v| v.as_str().is_some_and(|t| t.starts_with("已保存")),
    )
    .await;
    assert!(state.as_str().unwrap().contains("共 8 页"), "{state}");

    // Where the editor is, the pages follow: the cursor on a row of the
    // attachment's table scrolls the page that prints it into view.
    let (_, state) = s.raw("GET", "/api/docs/2019-315/state", &[s.auth_ref()], b"");
    let at = state.find('{').unwrap();
    let state: serde_json::Value =
        serde_json::from_str(&state[at..state.rfind('}').unwrap() + 1]).unwrap();
    let wanted = state["pages"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| {
            p["text"]
                .as_str()
                .unwrap()
                .contains("查处侵害消费者权益案件")
        })
        .unwrap();
    assert!(wanted >= 2, "the table is on page {}", wanted + 1);
    c.execute(
        "const cm = document.querySelector('.CodeMirror').CodeMirror; \
         for (let i = 0; i < cm.lineCount(); i++) { if (cm.getLine(i).includes('查处侵害消费者权益案件')) { \
           cm.setCursor({line: i, ch: 10}); return i; } } return -1;",
        vec![],
    )
    .await
    .unwrap();
    until(
        &c,
        "the page of the cursor's text in view",
        &format!(
            "const pane = document.getElementById('pages-pane'); \
             const img = document.querySelectorAll('#pages img')[{wanted}]; \
             const p = pane.getBoundingClientRect(), r = img.getBoundingClientRect(); \
             return r.bottom > p.top && r.top < p.bottom;"
        ),
        |v| v == true,
    )
    .await;

    // A YAML error: marked at its line in the editor, listed with its
    // place, and the last good pages stay.
    let bad_line = c
        .execute(
            "const cm = document.querySelector('.CodeMirror').CodeMirror; \
             for (let i = 0; i < cm.lineCount(); i++) { if (cm.getLine(i).startsWith('发文字号')) { \
               cm.setCursor({line: i, ch: 0}); return i; } } return -1;",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    area.send_keys("发文字好: 1\n").await.unwrap();
    let marker = until(
        &c,
        "the error marker",
        "const m = document.querySelector('.CodeMirror-lint-marker-error'); \
         if (!m) return null; \
         const cm = document.querySelector('.CodeMirror').CodeMirror; \
         return cm.lineAtHeight(m.getBoundingClientRect().top + 2, 'window');",
        |v| !v.is_null(),
    )
    .await;
    let problems = until(
        &c,
        "the problems list",
        "return Array.from(document.querySelectorAll('#problems li.error')).map(l => l.textContent);",
        |v| v.as_array().is_some_and(|a| !a.is_empty()),
    )
    .await;
    let at = problems[0].as_str().unwrap();
    assert!(at.contains("公文.yaml:"), "located: {at}");
    let line_no: i64 = at
        .split("公文.yaml:")
        .nth(1)
        .and_then(|r| r.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        (line_no - 1 - bad_line).abs() <= 1
            && (marker.as_i64().unwrap() - (line_no - 1)).abs() <= 1,
        "error at line {line_no}, typed on {}, marked on {}",
        bad_line + 1,
        marker
    );
    let banner = c.find(fantoccini::Locator::Id("banner")).await.unwrap();
    assert!(banner
        .text()
        .await
        .unwrap()
        .contains("上一次成功生成的页面"));
    let kept = c.execute(PAGES, vec![]).await.unwrap();
    assert_eq!(kept, redrawn, "the last good pages stay");
    // Taken out again: the error goes.
    c.execute(
        "const cm = document.querySelector('.CodeMirror').CodeMirror; \
         cm.replaceRange('', {line: arguments[0], ch: 0}, {line: arguments[0] + 1, ch: 0});",
        vec![serde_json::json!(bad_line)],
    )
    .await
    .unwrap();
    until(
        &c,
        "the error gone",
        "return document.querySelectorAll('#problems li.error').length;",
        |v| v == 0,
    )
    .await;

    // A change made on disk by something else shows in the editor; what
    // it says is shown as text, never run as markup.
    let good = std::fs::read_to_string(&file).unwrap();
    assert!(good.contains("市档案局") && !good.contains("发文字好"));
    let on_disk = good.replacen("市档案局", "市图书馆", 1)
        + "<img src=x onerror=\"document.title='pwned'\">: 1\n";
    std::fs::write(&file, on_disk).unwrap();
    until(
        &c,
        "the disk change in the editor",
        "return document.querySelector('.CodeMirror').CodeMirror.getValue().includes('市图书馆');",
        |v| v == true,
    )
    .await;
    let shown = until(
        &c,
        "the markup as text",
        "return Array.from(document.querySelectorAll('#problems li')).map(l => l.textContent).join('\\n');",
        |v| v.as_str().is_some_and(|t| t.contains("<img src=x")),
    )
    .await;
    let unharmed = c
        .execute(
            "return [document.title, document.querySelectorAll('#problems img, #banner img').length];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        unharmed,
        serde_json::json!(["gongwen 工作区", 0]),
        "{shown}"
    );
    std::fs::write(&file, good.replacen("市档案局", "市图书馆", 1)).unwrap();
    until(
        &c,
        "the error gone again",
        "return document.querySelectorAll('#problems li.error').length;",
        |v| v == 0,
    )
    .await;

    // A returned workbook, given to the drop zone's file input: the unit
    // appears in the 汇总 and the report in the page.
    let returns = tempfile::tempdir().unwrap();
    canonical_return(returns.path());
    c.find(fantoccini::Locator::Id("open-forms"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.execute(
        "document.querySelector('#returns-drop + input').hidden = false;",
        vec![],
    )
    .await
    .unwrap();
    c.find(fantoccini::Locator::Css("#returns-drop + input"))
        .await
        .unwrap()
        .send_keys(&returns.path().join("a.xlsx").display().to_string())
        .await
        .unwrap();
    let summary = until(
        &c,
        "the 汇总 in the page",
        "const t = document.querySelector('#returns-out table'); return t ? t.textContent : null;",
        |v| !v.is_null(),
    )
    .await;
    assert!(summary.as_str().unwrap().contains("黄浦区"), "{summary}");
    // The 汇总表's own pages, drawn.
    until(
        &c,
        "the 汇总表's pages",
        "const p = Array.from(document.querySelectorAll('#returns-out img.summary-page')); \
         return p.length > 0 && p.every(i => i.complete && i.naturalWidth > 500);",
        |v| v == true,
    )
    .await;
    let report = c
        .find(fantoccini::Locator::Css("#returns-out pre"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(report.contains("报送 1 个单位"), "{report}");
    assert!(s.dir.path().join("out/2019-315/汇总表.pdf").is_file());
    c.close().await.unwrap();
}

/// Everything the command line writes, asked for over HTTP: the files land
/// where `gongwen … -o out` run in DIR puts them, and download.
#[test]
fn the_products_are_written_to_out_and_download() {
    let s = Server::start(&[]);
    let (k, t) = s.auth();
    let json = |body: &str| {
        let start = body.find("\r\n\r\n").map(|i| i + 4).unwrap_or(0);
        // A chunked body: the JSON is between the first '{' and the last '}'.
        let text = &body[start..];
        let a = text.find('{').unwrap_or(0);
        let b = text.rfind('}').map(|i| i + 1).unwrap_or(text.len());
        serde_json::from_str::<serde_json::Value>(&text[a..b])
            .unwrap_or_else(|e| panic!("{e}: {body}"))
    };
    let post = |path: &str, body: &str| {
        let (code, text) = s.raw(
            "POST",
            path,
            &[(k, &t), ("Content-Type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(code, 200, "{path}: {text}");
        json(&text)
    };

    // The document's files, and the PDF/A copy beside (not over) the PDF.
    let r = post(
        "/api/docs/2019-315/build",
        r#"{"formats": ["pdf", "ofd", "docx", "pdfa"]}"#,
    );
    let names: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for want in [
        "out/2019-315.pdf",
        "out/2019-315.ofd",
        "out/2019-315.docx",
        "out/PDF-A/2019-315.pdf",
    ] {
        assert!(names.contains(&want), "{names:?}");
        assert!(s.dir.path().join(want).is_file(), "{want}");
    }
    let pdfa = std::fs::read(s.dir.path().join("out/PDF-A/2019-315.pdf")).unwrap();
    assert!(
        String::from_utf8_lossy(&pdfa).contains("pdfaid:part"),
        "the archive copy is PDF/A"
    );
    let url = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "out/2019-315.pdf")
        .unwrap()["url"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, body) = s.raw("GET", &url, &[(k, &t)], b"");
    assert_eq!(code, 200);
    assert!(
        body.contains("attachment; filename*=UTF-8''") && body.contains("%PDF-"),
        "{}",
        &body[..400.min(body.len())]
    );

    // Forms: every unit's PDF and workbook, zipped.
    let r = post("/api/docs/2019-315/forms", r#"{"xlsx": true}"#);
    assert!(r["failures"].as_array().unwrap().is_empty(), "{r}");
    let zip = s.dir.path().join("out/2019-315/填报表.zip");
    let archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let inside: Vec<String> = archive
        .file_names()
        .flatten()
        .map(|n| n.to_string())
        .collect();
    assert!(
        inside.iter().filter(|n| n.ends_with(".pdf")).count() >= 20,
        "{inside:?}"
    );
    assert!(
        inside.iter().filter(|n| n.ends_with(".xlsx")).count() >= 20,
        "{inside:?}"
    );

    // 任务分工 from the plan's 事项.
    let r = post("/api/docs/2019-315/tasks", "");
    assert!(r["tasks"].as_u64().unwrap() > 0, "{r}");
    assert!(
        s.dir.path().join("out/2019-315/任务分工表.pdf").is_file()
            || r["files"].to_string().contains("任务分工表.pdf"),
        "{r}"
    );

    // A new document from a starter; the same name again is refused.
    let r = post("/api/docs", r#"{"kind": "请示", "name": "新请示"}"#);
    assert_eq!(r["name"], "新请示");
    assert!(s.dir.path().join("新请示/公文.yaml").is_file());
    let (code, _) = s.raw(
        "POST",
        "/api/docs",
        &[(k, &t), ("Content-Type", "application/json")],
        r#"{"kind": "请示", "name": "新请示"}"#.as_bytes(),
    );
    assert_eq!(code, 400);
    let (code, state) = s.raw(
        "GET",
        "/api/docs/%E6%96%B0%E8%AF%B7%E7%A4%BA/state",
        &[(k, &t)],
        b"",
    );
    assert_eq!(code, 200);
    assert!(
        json(&state)["pages"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "the starter builds"
    );

    // A draft dropped on the page becomes a content folder named after it.
    let draft = "关于做好2024年防汛工作的通知\n\n各区人民政府：\n\n现将有关事项通知如下。\n\n一、提高认识\n\n各单位要高度重视。\n\n某某市人民政府办公室\n2024年5月6日\n";
    let (code, body) = upload(&s, "/api/import", &[("防汛通知.txt", draft.as_bytes())]);
    assert_eq!(code, 200, "{body}");
    let r = json(&body);
    assert_eq!(r["name"], "防汛通知");
    let yaml = std::fs::read_to_string(s.dir.path().join("防汛通知/公文.yaml")).unwrap();
    assert!(yaml.contains("各单位要高度重视"), "{yaml}");
}
