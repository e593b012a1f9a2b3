"""A real gRPC peer for the proxy tests (Python grpcio, no generated code: raw bytes).

    grpc_peer.py server PORT            plaintext server on 127.0.0.1:PORT (prints "ready")
    grpc_peer.py client TARGET [--tls CA] [--cert CHAIN --key KEY] [--name NAME]
                                        unary, server-streaming and bidirectional calls;
                                        prints one JSON line with what it saw

The server answers each call with what it received and the x-ptp-session-id header it saw, and
sets trailing metadata (x-trailer: done) so the client can check that trailers arrive.
"""

import json
import sys
from concurrent import futures

import grpc

SERVICE = "mtlskit.test.Echo"


def session_id(context):
    return dict(context.invocation_metadata()).get("x-ptp-session-id", "")


def unary(request, context):
    context.set_trailing_metadata((("x-trailer", "done"),))
    return b"unary:" + request + b":" + session_id(context).encode()


def server_stream(request, context):
    context.set_trailing_metadata((("x-trailer", "done"),))
    for index in range(3):
        yield b"stream:%d:" % index + request


def bidi(requests, context):
    context.set_trailing_metadata((("x-trailer", "done"),))
    for request in requests:
        yield b"bidi:" + request


def serve(port):
    handlers = {
        "Unary": grpc.unary_unary_rpc_method_handler(unary),
        "ServerStream": grpc.unary_stream_rpc_method_handler(server_stream),
        "Bidi": grpc.stream_stream_rpc_method_handler(bidi),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    server.add_insecure_port("127.0.0.1:%d" % port)
    server.start()
    print("ready", flush=True)
    server.wait_for_termination(timeout=120)


def channel(arguments):
    target = arguments[0]
    options = dict(zip(arguments[1::2], arguments[2::2]))
    if "--tls" not in options:
        return grpc.insecure_channel(target)
    read = lambda path: open(path, "rb").read() if path else None
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(options["--tls"]),
        private_key=read(options.get("--key")),
        certificate_chain=read(options.get("--cert")),
    )
    name = options.get("--name")
    channel_options = (("grpc.ssl_target_name_override", name),) if name else ()
    return grpc.secure_channel(target, credentials, options=channel_options)


def call(arguments):
    result = {}
    with channel(arguments) as open_channel:
        try:
            unary_call = open_channel.unary_unary("/%s/Unary" % SERVICE)
            response, state = unary_call.with_call(b"hello", timeout=10)
            result["unary"] = response.decode()
            result["trailers"] = dict(state.trailing_metadata()).get("x-trailer", "")
            stream_call = open_channel.unary_stream("/%s/ServerStream" % SERVICE)
            result["server_stream"] = [part.decode() for part in stream_call(b"s", timeout=10)]
            bidi_call = open_channel.stream_stream("/%s/Bidi" % SERVICE)
            result["bidi"] = [part.decode() for part in bidi_call(iter([b"a", b"b", b"c"]), timeout=10)]
            result["status"] = "OK"
        except grpc.RpcError as error:
            result["status"] = error.code().name
            result["details"] = error.details()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        serve(int(sys.argv[2]))
    else:
        call(sys.argv[2:])
