//! `AbortSignal` support: an aborted signal stops the work by dropping its future, which
//! aborts the fetch in flight and clears the pending timer at once.

use core::future::Future;
use core::pin::pin;
use core::task::Poll;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::convert::get;
use super::errors::abort_error;
use crate::error::Error;

/// Run `work` until it finishes or `signal` aborts. An already-aborted signal rejects
/// before `work` is polled, so no request is made. `task_id` names the task (if known) in
/// the `AbortError` so a caller can resume it.
pub(crate) async fn run_abortable<T>(
    signal: Option<AbortSignal>,
    task_id: Rc<RefCell<Option<String>>>,
    work: impl Future<Output = Result<T, JsValue>>,
) -> Result<T, JsValue> {
    abortable(signal, task_id, None, work).await
}

/// What an abort must not cut short: a job run's create on its way, and the caller's
/// saving of the journal. Dropping the run during the first would leave a task the journal
/// never hears of (queued, later billed, and out of reach of `cancelQueued`); during the
/// second, a job the caller's journal says is `creating` though nothing was sent (a resume
/// could only call its outcome unknown). So while either is under way an abort waits, and
/// `aborted` tells the run's API to send no more creates (the run then puts that job back
/// to pending and saves once more before it stops).
#[derive(Default)]
pub(crate) struct Hold {
    /// The signal aborted: the next create is not sent.
    pub aborted: Cell<bool>,
    /// A create's request is on its way.
    pub sending: Cell<bool>,
    /// The caller's `onJournal` is saving the journal.
    pub saving: Cell<bool>,
}

/// [`run_abortable`] for a job run: an abort while `hold.sending` or `hold.saving` takes
/// effect once that create is answered and recorded, or that save is done.
#[cfg(feature = "js")]
pub(crate) async fn run_abortable_held<T>(
    signal: Option<AbortSignal>,
    hold: &Hold,
    work: impl Future<Output = Result<T, JsValue>>,
) -> Result<T, JsValue> {
    abortable(signal, Rc::default(), Some(hold), work).await
}

async fn abortable<T>(
    signal: Option<AbortSignal>,
    task_id: Rc<RefCell<Option<String>>>,
    hold: Option<&Hold>,
    work: impl Future<Output = Result<T, JsValue>>,
) -> Result<T, JsValue> {
    let Some(signal) = signal else {
        return work.await;
    };
    if signal.aborted() {
        return Err(abort_error(task_id.borrow().as_deref()));
    }
    // A promise that settles when the signal aborts; the listener goes with `_listener`.
    let (tx, rx) = futures_channel_lite();
    let on_abort = Closure::once(move || tx.fire());
    signal
        .add_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref())
        .map_err(|e| e.clone())?;
    let _listener = Listener {
        signal: signal.clone(),
        callback: on_abort,
    };
    let held = || hold.is_some_and(|h| h.sending.get() || h.saving.get());
    let (mut work, mut aborted) = (pin!(work), pin!(rx));
    let outcome = core::future::poll_fn(|cx| {
        let fired = aborted.as_mut().poll(cx).is_ready();
        if fired {
            if let Some(h) = hold {
                h.aborted.set(true);
            }
            if !held() {
                return Poll::Ready(None);
            }
        }
        match work.as_mut().poll(cx) {
            Poll::Ready(out) => Poll::Ready(Some(out)),
            Poll::Pending if fired && !held() => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    })
    .await;
    outcome.unwrap_or_else(|| Err(abort_error(task_id.borrow().as_deref())))
}

/// Removes the abort listener when the call ends either way.
struct Listener {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

/// A one-shot flag with a waker: enough to turn an event into a future without pulling in
/// a channel crate.
fn futures_channel_lite() -> (Trigger, Fired) {
    let state = Rc::new(RefCell::new((false, None::<core::task::Waker>)));
    (Trigger(Rc::clone(&state)), Fired(state))
}

type Shared = Rc<RefCell<(bool, Option<core::task::Waker>)>>;

struct Trigger(Shared);

impl Trigger {
    fn fire(self) {
        let waker = {
            let mut s = self.0.borrow_mut();
            s.0 = true;
            s.1.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

struct Fired(Shared);

impl Future for Fired {
    type Output = ();
    fn poll(self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> Poll<()> {
        let mut s = self.0.borrow_mut();
        if s.0 {
            Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// The `signal` of an options object, if any.
pub(super) fn signal_of(options: &JsValue) -> Result<Option<AbortSignal>, Error> {
    let v = get(options, "signal");
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<AbortSignal>()
        .map(Some)
        .map_err(|_| Error::invalid_argument("signal", "must be an AbortSignal"))
}
