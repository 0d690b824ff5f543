//! Ark-shaped error answers: `{"error":{"code","message","param","type"}}`.
//!
//! Every error the API routes produce goes through [`ArkError`], so the body shape is the
//! same everywhere; the `X-Request-Id` header is added by the intake layer, not here.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::AccountLimits;

/// One Ark error answer: HTTP status plus the four body fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArkError {
    /// HTTP status of the answer.
    pub status: StatusCode,
    /// Machine code, e.g. `InvalidParameter`.
    pub code: String,
    /// Human message.
    pub message: String,
    /// The request field concerned, `""` when none.
    pub param: String,
    /// Extra headers (e.g. `Retry-After`).
    pub headers: Vec<(&'static str, String)>,
}

impl ArkError {
    /// Build an error with an explicit status and code.
    pub fn new(status: StatusCode, code: &str, param: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
            param: param.to_owned(),
            headers: Vec::new(),
        }
    }

    /// 400 `InvalidParameter` for `param`.
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let full = if param.is_empty() {
            message
        } else {
            format!("The parameter `{param}` specified in the request is not valid: {message}")
        };
        Self::new(StatusCode::BAD_REQUEST, "InvalidParameter", param, full)
    }

    /// 400 `MissingParameter` for `param`.
    pub fn missing(param: &str, message: impl Into<String>) -> Self {
        let message = format!(
            "The request failed because it is missing one or multiple required parameters: `{param}`. {}",
            message.into()
        );
        Self::new(StatusCode::BAD_REQUEST, "MissingParameter", param, message)
    }

    /// 401 `AuthenticationError`.
    pub fn authentication() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationError",
            "",
            "The API key or AK/SK in the request is missing or invalid.",
        )
    }

    /// 404 `InvalidEndpointOrModel.NotFound` for an unknown model id.
    pub fn unknown_model(model: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "InvalidEndpointOrModel.NotFound",
            "model",
            format!(
                "The model or endpoint {model} does not exist or you do not have access to it."
            ),
        )
    }

    /// 404 `ResourceNotFound` for an unknown task id.
    pub fn task_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "id",
            format!("The specified task {id} is not found."),
        )
    }

    /// 400 `OperationDenied` for a DELETE the task's state forbids. (Volcengine's family of
    /// APIs answers "operation denied because of the resource's state" with a 400; a 409 would
    /// also make the OpenAI-derived Ark SDK retry the DELETE twice before failing.)
    pub fn cannot_delete(id: &str, status: &str) -> Self {
        let why = match status {
            "cancelled" => "it is already cancelled",
            "running" => {
                "it is running: only queued tasks can be cancelled and only finished tasks deleted"
            }
            _ => "its current status does not allow it",
        };
        Self::new(
            StatusCode::BAD_REQUEST,
            "OperationDenied",
            "id",
            format!("The task {id} (status `{status}`) cannot be cancelled or deleted: {why}."),
        )
    }

    /// 429 `RateLimitExceeded.FoundationModelRPMExceeded`: the account created more tasks on
    /// `model` than its rate allows; `Retry-After` says when the next create is admitted.
    pub fn create_rate_exceeded(model: &str, limits: &AccountLimits, retry_after: u64) -> Self {
        let rate = limits.create_rate.unwrap_or(0);
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RateLimitExceeded.FoundationModelRPMExceeded",
            "",
            format!(
                "The request rate limit of model {model} for your account has been exceeded ({rate} creates per {} s). Please retry after {retry_after} s.",
                limits.create_window_secs
            ),
        )
        .with_header("retry-after", retry_after.to_string())
    }

    /// 413 for a request body over the size limit.
    pub fn body_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestBodyTooLarge",
            "",
            format!("The request body exceeds the limit of {limit} bytes."),
        )
    }

    /// 404 for a path no route serves.
    pub fn no_route(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "InvalidEndpointOrModel.NotFound",
            "",
            format!("No route for {path}."),
        )
    }

    /// Add a header to the answer.
    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The `type` field: Ark names it after the HTTP status class.
    fn kind(&self) -> &'static str {
        match self.status.as_u16() {
            400 | 413 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            409 => "Conflict",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            _ => "InternalServerError",
        }
    }

    /// The JSON body.
    pub fn body(&self) -> serde_json::Value {
        json!({"error": {
            "code": self.code,
            "message": self.message,
            "param": self.param,
            "type": self.kind(),
        }})
    }
}

impl IntoResponse for ArkError {
    fn into_response(self) -> Response {
        let mut resp = json_response(self.status, &self.body());
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                resp.headers_mut().insert(*name, v);
            }
        }
        resp
    }
}

/// A JSON answer with `Content-Type: application/json; charset=utf-8`.
pub fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    let mut resp = (status, value.to_string()).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}
