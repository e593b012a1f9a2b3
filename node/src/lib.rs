//! napi-rs pass-throughs into mtlskit's JSON-shaped API ([`mtlskit::api`]), for Node.js.
//!
//! Each capability is exported twice: `name(request, time)` returns a `Promise` and runs the
//! work (key generation, signing, KDFs) on libuv's thread pool, and `nameSync(request, time)`
//! runs it on the calling thread. The request is a plain JavaScript object (the field names
//! of `mtlskit inspect --json`; file contents as strings, `Buffer`s or `Uint8Array`s),
//! converted on the calling thread; `time` is seconds since the Unix epoch (the core reads
//! no clock; without it, the system clock's time of the call). Responses are plain objects; binary values are `Buffer`s. Errors are
//! JavaScript `Error`s whose `code` property is the core's stable code, set here (not parsed
//! from the message), with the error's typed fields beside it. Randomness comes from the
//! operating system (`getrandom`).

use mtlskit::UnixTime;
use mtlskit::api::{self, ApiError};
use napi::bindgen_prelude::{AsyncTask, JsObjectValue, JsValue, Object, Unknown};
use napi::{Env, Result, ScopedTask};
use napi_derive::napi;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Exports `$name` (a `Promise`, computed off the main thread) and `$sync` (synchronous)
/// for the API function that `$run` calls.
macro_rules! pass_through {
    ($(#[$doc:meta])* $name:ident, $sync:ident, $request:ty => $response:ty, $run:expr) => {
        $(#[$doc])*
        #[napi]
        pub fn $name(
            env: &Env,
            request: Unknown,
            time: Option<f64>,
        ) -> Result<AsyncTask<Call<$request, $response>>> {
            Ok(AsyncTask::new(Call::new(env, request, time, $run)?))
        }

        $(#[$doc])*
        #[napi]
        pub fn $sync<'env>(
            env: &'env Env,
            request: Unknown,
            time: Option<f64>,
        ) -> Result<Unknown<'env>> {
            Call::new(env, request, time, $run)?.run_here(env)
        }
    };
}

pass_through!(
    /// Everything in a file: `{items: [...]}` (`mtlskit inspect --json`).
    inspect, inspect_sync, api::InspectRequest => mtlskit::inspect::Report,
    |request, time, _| api::inspect(request, time)
);
pass_through!(
    /// Verifies a chain: `{valid, path}` or `{valid: false, failure}` (`mtlskit verify --json`).
    verify, verify_sync, api::VerifyRequest => api::VerifyResponse,
    |request, time, _| api::verify(request, time)
);
pass_through!(
    /// Finds the leaves among dropped items and verifies each one's chain.
    verify_set, verify_set_sync, api::VerifySetRequest => api::VerifySetResponse,
    |request, time, _| api::verify_set(request, time)
);
pass_through!(
    /// Generates a private key.
    generate_key, generate_key_sync, api::GenerateKeyRequest => api::GenerateKeyResponse,
    |request, _, rng| api::generate_key(request, rng)
);
pass_through!(
    /// Issues a certificate by profile.
    issue, issue_sync, api::IssueRequest => api::IssueResponse,
    api::issue
);
pass_through!(
    /// Creates a certificate signing request.
    csr_new, csr_new_sync, api::CsrNewRequest => api::CsrNewResponse,
    |request, _, rng| api::csr_new(request, rng)
);
pass_through!(
    /// Signs a certificate signing request with a CA.
    csr_sign, csr_sign_sync, api::CsrSignRequest => api::CsrSignResponse,
    api::csr_sign
);
pass_through!(
    /// A whole private PKI as a list of files.
    pki_init, pki_init_sync, api::PkiInitRequest => api::PkiInitResponse,
    api::pki_init
);
pass_through!(
    /// A whole private PKI as PEM strings: `{ca, intermediate, server, clients}`.
    bundle, bundle_sync, api::PkiInitRequest => api::BundleResponse,
    api::bundle
);
pass_through!(
    /// A key, certificate and chain as a `.p12` file.
    to_pkcs12, to_pkcs12_sync, api::ToPkcs12Request => api::ToPkcs12Response,
    |request, _, rng| api::to_pkcs12(request, rng)
);
pass_through!(
    /// The keys and certificates of a `.p12` file.
    from_pkcs12, from_pkcs12_sync, api::FromPkcs12Request => api::FromPkcs12Response,
    |request, _, _| api::from_pkcs12(request)
);
pass_through!(
    /// PEM <-> DER, to and from PKCS#12.
    convert, convert_sync, api::ConvertRequest => api::ConvertResponse,
    api::convert
);

/// Runs the `mtlskit` command line (`arguments` without the program name) on the calling
/// thread, with the native binary's code: `npx mtlskit`. Returns the exit code.
#[napi]
pub fn run_cli(arguments: Vec<String>) -> u32 {
    let command_line = std::iter::once("mtlskit".to_owned()).chain(arguments);
    let status = mtlskit_proxy::exit_status(mtlskit_proxy::run(command_line));
    // the command's output is on its way before Node carries on
    let _ = std::io::Write::flush(&mut std::io::stdout());
    u32::from(status)
}

/// The version of the mtlskit core in this addon.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// One call of an API function: the request (converted from JavaScript on the calling
/// thread), the time, and the function.
pub struct Call<Request, Response> {
    request: Request,
    time: UnixTime,
    run: Run<Request, Response>,
}

type Run<Request, Response> =
    fn(&Request, UnixTime, &mut Rng) -> std::result::Result<Response, ApiError>;

type Rng = rand_core::UnwrapErr<getrandom::SysRng>;

impl<Request: DeserializeOwned, Response: Serialize> Call<Request, Response> {
    fn new(
        env: &Env,
        request: Unknown,
        time: Option<f64>,
        run: Run<Request, Response>,
    ) -> Result<Self> {
        let request = env
            .from_js_value(request)
            .map_err(|error| coded_error(env, &ApiError::invalid_request(error.reason)))?;
        let time = unix_time(time).map_err(|error| coded_error(env, &error))?;
        Ok(Self { request, time, run })
    }

    fn compute(&self) -> std::result::Result<Response, ApiError> {
        (self.run)(&self.request, self.time, &mut rng())
    }

    fn run_here<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        respond(env, self.compute())
    }
}

impl<Request, Response> std::fmt::Debug for Call<Request, Response> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

impl<'task, Request, Response> ScopedTask<'task> for Call<Request, Response>
where
    Request: DeserializeOwned + Send,
    Response: Serialize + Send + 'static,
{
    type Output = std::result::Result<Response, ApiError>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> Result<Self::Output> {
        Ok(Call::compute(self))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Unknown<'task>> {
        respond(env, output)
    }
}

fn respond<'env, T: Serialize>(
    env: &'env Env,
    result: std::result::Result<T, ApiError>,
) -> Result<Unknown<'env>> {
    match result {
        Ok(value) => env.to_js_value(&value),
        Err(error) => Err(coded_error(env, &error)),
    }
}

/// A JavaScript `Error` with the message, `code`, and the typed fields of `error`.
fn coded_error(env: &Env, error: &ApiError) -> napi::Error {
    let built = (|| -> Result<Object> {
        let mut thrown = env.create_error(napi::Error::from_reason(error.message.clone()))?;
        let fields = serde_json::to_value(error).unwrap_or_default();
        for (name, value) in fields.as_object().into_iter().flatten() {
            thrown.set_named_property(name, env.to_js_value(value)?)?;
        }
        Ok(thrown)
    })();
    match built {
        Ok(thrown) => napi::Error::from(thrown.to_unknown()),
        Err(failure) => failure,
    }
}

/// The operating system's random number generator. `getrandom` fails only where no secure
/// source exists, and then nothing can be issued safely, so the error is not recoverable.
fn rng() -> Rng {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// JavaScript's seconds, or the system clock's time without them (NaN, infinities and times
/// outside the years 0000-9999 are the error `InvalidTime` on `time`, never a silent 1970).
fn unix_time(seconds: Option<f64>) -> std::result::Result<UnixTime, ApiError> {
    let seconds = seconds.unwrap_or_else(|| {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        since_epoch.map_or(0.0, |duration| duration.as_secs_f64())
    });
    UnixTime::from_seconds_f64(seconds).map_err(|error| ApiError::new(error, "time"))
}
