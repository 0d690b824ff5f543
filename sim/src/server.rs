//! The accept loop and the running-server handle.
//!
//! Our own loop over hyper (instead of `axum::serve`) for one reason: faults must be able to
//! close a connection without answering. Each connection gets a [`ConnKill`] in its
//! requests' extensions; firing it drops the connection future, which closes the socket.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::Service;

use crate::app;
use crate::config::SimConfig;
use crate::shared::{AppState, ConnKill};

/// The runtime the binary and [`Sim::start`] serve on: two worker threads, IO and timers.
pub fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// A running simulator. Dropping it stops the server.
#[must_use = "dropping the handle stops the simulator"]
pub struct Sim {
    addr: SocketAddr,
    base_url: String,
    shutdown: watch::Sender<bool>,
    join: Join,
}

enum Join {
    Task(tokio::task::JoinHandle<()>),
    Thread(Option<std::thread::JoinHandle<()>>),
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Sim {
    /// Bind and serve on the current tokio runtime.
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let sim = seedance_sim::Sim::spawn(seedance_sim::SimConfig::fast()).await?;
    /// println!("{}", sim.api_url()); // http://127.0.0.1:PORT/seedance/api/v3
    /// # Ok(()) }
    /// ```
    pub async fn spawn(config: SimConfig) -> io::Result<Sim> {
        let listener = TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = watch::channel(false);
        let state = AppState::new(config, addr, rx.clone());
        let base_url = state.media_base.clone();
        let app = app::router(state);
        let task = tokio::spawn(accept_loop(listener, app, rx));
        Ok(Sim {
            addr,
            base_url,
            shutdown: tx,
            join: Join::Task(task),
        })
    }

    /// Bind and serve on a runtime of its own, in a background thread: for tests that are
    /// not async. Dropping the handle stops the server and joins the thread.
    pub fn start(config: SimConfig) -> io::Result<Sim> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("seedance-sim".into())
            .spawn(move || {
                let rt = match runtime() {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    match Sim::spawn(config).await {
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                        Ok(sim) => {
                            let mut stop = sim.shutdown.subscribe();
                            let _ = ready_tx.send(Ok((
                                sim.addr,
                                sim.base_url.clone(),
                                sim.shutdown.clone(),
                            )));
                            stopped(&mut stop).await;
                            drop(sim);
                        }
                    }
                });
            })?;
        let (addr, base_url, shutdown) = ready_rx
            .recv()
            .map_err(|_| io::Error::other("simulator thread ended before binding"))??;
        Ok(Sim {
            addr,
            base_url,
            shutdown,
            join: Join::Thread(Some(thread)),
        })
    }

    /// The bound address (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The reseller-style API base, `http://127.0.0.1:PORT/seedance/api/v3`.
    pub fn api_url(&self) -> String {
        format!("{}/seedance/api/v3", self.base_url)
    }

    /// Stop and wait until the accept loop has ended.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Join::Task(t) = &mut self.join {
            let _ = t.await;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        match &mut self.join {
            Join::Task(t) => t.abort(),
            Join::Thread(t) => {
                if let Some(t) = t.take() {
                    let _ = t.join();
                }
            }
        }
    }
}

async fn accept_loop(listener: TcpListener, app: Router, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve_connection(stream, app.clone(), shutdown.clone()));
            }
        }
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let kill = ConnKill(Arc::new(Notify::new()));
    let on_kill = kill.0.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(kill.clone());
        let mut app = app.clone();
        async move { app.call(req.map(Body::new)).await }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = on_kill.notified() => {}
        _ = stopped(&mut shutdown) => {}
    }
}

/// Resolves once the shutdown flag is set (or its sender is gone).
async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}
