//! The task routes: a create (admitted, then its bytes forwarded) and the forwards that
//! admission built (get, delete, list).

use seedance::protocol::HttpRequest;
use web_sys::{Request, Response};

use crate::admission::create::{Admitted, Checked};
use crate::settle;

use super::call::Call;
use super::fetch::send;
use super::respond;

/// `POST {prefix}/contents/generations/tasks`.
pub async fn create(call: &Call, request: &Request, origin: Option<&str>) -> Response {
    let (checked, key) = match call.admit(request).await {
        Err(r) => return respond::refusal(&r, origin),
        Ok(Admitted::Replay(id)) => {
            return respond::answer(&settle::replayed(&call.caller, &id), origin)
        }
        Ok(Admitted::Go {
            checked,
            idempotency_key,
        }) => (checked, idempotency_key),
    };
    // Validated: the parsed copy goes; the visitor's bytes go out as they were sent.
    let Checked { req, body, tokens } = *checked;
    drop(req);
    let sent = send(&call.caller.upstream.create(body)).await;
    let (outcome, answer) = settle::create(&call.caller, sent);
    let ops = settle::record(&call.caller, key.as_deref(), tokens, &outcome);
    call.apply(ops).await;
    respond::either(&answer, origin)
}

/// `GET`/`DELETE {prefix}/contents/generations/tasks/{id}` and the list: `request` as
/// admission built it.
pub async fn forward(
    call: &Call,
    request: &HttpRequest,
    wrap_ids: bool,
    origin: Option<&str>,
) -> Response {
    let sent = send(request).await;
    respond::either(&settle::forwarded(&call.caller, sent, wrap_ids), origin)
}
