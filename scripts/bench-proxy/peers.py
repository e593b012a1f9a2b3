"""The processes of `make bench-proxy`: the same P-256 PKI (`mtlskit pki init`), a fast plain
upstream (nginx `return 200`), and for each tool a terminate and an originate process with
configurations generated into the temporary directory. Every process is started in its own
session and stopped (SIGTERM, then SIGKILL) by `Processes.stop_all`."""

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port, process, name, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}) before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name}: nothing listens on 127.0.0.1:{port} after {timeout} s")


@dataclass
class Processes:
    """Children started by the bench, stopped at the end whatever happens."""
    started: list = field(default_factory=list)

    def start(self, name, argv, log_path):
        log = open(log_path, "ab")
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   start_new_session=True)
        log.close()
        self.started.append((name, process))
        return process

    def stop_all(self):
        for _, process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        for _, process in self.started:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


@dataclass
class Tool:
    """One tool's pair: the terminate listener (mTLS in) and the originate listeners (plain
    in; `originate_h2` is the h2c port, the same as `originate_h1` when one port does both)."""
    name: str
    terminate: subprocess.Popen
    terminate_port: int
    originate: subprocess.Popen
    originate_h1: int
    originate_h2: int


class Pki:
    """`mtlskit pki init` files plus the combined files nginx and HAProxy want."""

    def __init__(self, mtlskit, directory):
        self.dir = os.path.join(directory, "pki")
        subprocess.run([mtlskit, "pki", "init", self.dir, "--server-san", "localhost",
                        "--server-san", "127.0.0.1", "--client", "client"],
                       check=True, stdout=subprocess.DEVNULL)
        self.ca = self.path("ca.crt")
        self.server_chain = self.path("server-fullchain.crt")
        self.server_key = self.path("server.key")
        self.client_key = self.path("client.key")
        self.client_chain = self.concat("client-chain.pem", ["client.crt", "intermediate.crt"])
        # HAProxy: certificate chain and key in one file.
        self.server_pem = self.concat("server.pem", ["server-fullchain.crt", "server.key"])
        self.client_pem = self.concat("client.pem", ["client.crt", "intermediate.crt",
                                                     "client.key"])

    def path(self, name):
        return os.path.join(self.dir, name)

    def concat(self, name, parts):
        with open(self.path(name), "wb") as out:
            for part in parts:
                with open(self.path(part), "rb") as file:
                    out.write(file.read())
        return self.path(name)


NGINX_COMMON = """daemon off;
master_process on;
worker_processes {workers};
worker_rlimit_nofile 16384;
pid {dir}/{name}.pid;
error_log {dir}/{name}.error.log warn;
events {{ worker_connections 8192; }}
http {{
  client_body_temp_path {dir}/{name}-body;
  proxy_temp_path {dir}/{name}-proxy;
  fastcgi_temp_path {dir}/{name}-fastcgi;
  uwsgi_temp_path {dir}/{name}-uwsgi;
  scgi_temp_path {dir}/{name}-scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_header_timeout 120s;
{body}
}}
"""

UPSTREAM = """  access_log off;
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location / {{ return 200 "ok\\n"; }}
  }}"""

NGINX_TERMINATE = """  access_log {dir}/nginx-terminate.access.log;
  upstream backend {{ server 127.0.0.1:{upstream}; keepalive 64; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{port} ssl http2 backlog=4096;
    ssl_certificate {pki.server_chain};
    ssl_certificate_key {pki.server_key};
    ssl_client_certificate {pki.ca};
    ssl_verify_client on;
    ssl_verify_depth 3;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {{
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_set_header X-Client-Subject $ssl_client_s_dn;
    }}
  }}"""

NGINX_ORIGINATE = """  access_log {dir}/nginx-originate.access.log;
  upstream terminate {{ server 127.0.0.1:{target}; keepalive 64; keepalive_requests 1000000; }}
  server {{
    listen 127.0.0.1:{port_h1} backlog=4096;
    listen 127.0.0.1:{port_h2} http2 backlog=4096;
    location / {{
      proxy_pass https://terminate;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_ssl_certificate {pki.client_chain};
      proxy_ssl_certificate_key {pki.client_key};
      proxy_ssl_trusted_certificate {pki.ca};
      proxy_ssl_verify on;
      proxy_ssl_verify_depth 3;
      proxy_ssl_name localhost;
      proxy_ssl_server_name on;
      proxy_ssl_session_reuse on;
    }}
  }}"""

HAPROXY_GLOBAL = """global
  maxconn 8192
  nbthread {threads}
  log stderr format raw local0
defaults
  mode http
  log global
  option httplog
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-request 120s
  timeout http-keep-alive 120s
"""

HAPROXY_TERMINATE = """frontend terminate
  bind 127.0.0.1:{port} ssl crt {pki.server_pem} ca-file {pki.ca} verify required alpn h2,http/1.1
  http-request set-header X-Real-IP %[src]
  http-request set-header X-Forwarded-For %[src]
  http-request set-header X-Forwarded-Proto https
  http-request set-header X-Client-Subject %{{+Q}}[ssl_c_s_dn]
  default_backend upstream
backend upstream
  server up 127.0.0.1:{upstream}
"""

# HTTP/2 in goes out as HTTP/2, HTTP/1.1 as HTTP/1.1, like mtlskit's `auto` (HAProxy turns an
# HTTP/2 response into an HTTP/1.1 status line without a reason phrase, which h2load refuses).
HAPROXY_ORIGINATE = """frontend originate
  bind 127.0.0.1:{port}
  use_backend terminate_h2 if {{ req.ver 2.0 }}
  default_backend terminate_h1
backend terminate_h1
  server t 127.0.0.1:{target} {tls} alpn http/1.1
backend terminate_h2
  server t 127.0.0.1:{target} {tls} alpn h2
"""
HAPROXY_CLIENT_TLS = ("ssl crt {pki.client_pem} ca-file {pki.ca} verify required verifyhost "
                      "localhost sni str(localhost)")


class Bench:
    """Generates the configurations and starts every process in `directory`."""

    def __init__(self, mtlskit, directory, workers):
        self.mtlskit = mtlskit
        self.dir = directory
        self.workers = workers
        self.processes = Processes()
        self.pki = Pki(mtlskit, directory)
        self.upstream_port = free_port()
        self.upstream = self.nginx("upstream", UPSTREAM.format(port=self.upstream_port), 1,
                                   [self.upstream_port])

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as file:
            file.write(text)
        return path

    def nginx(self, name, body, workers, ports):
        config = self.write(f"{name}.conf", NGINX_COMMON.format(
            name=name, dir=self.dir, workers=workers, body=body))
        process = self.processes.start(name, ["nginx", "-p", self.dir, "-c", config, "-e",
                                              f"{self.dir}/{name}.error.log"],
                                       f"{self.dir}/{name}.out")
        for port in ports:
            wait_listening(port, process, name)
        return process

    def haproxy(self, name, body, ports):
        config = self.write(f"{name}.cfg", HAPROXY_GLOBAL.format(threads=self.workers) + body)
        process = self.processes.start(name, ["haproxy", "-db", "-f", config],
                                       f"{self.dir}/{name}.log")
        for port in ports:
            wait_listening(port, process, name)
        return process

    def mtlskit_proxy(self, name, args, port):
        # mtlskit runs one worker (a single-threaded runtime) per core, as many as nginx's
        # worker_processes and HAProxy's nbthread here.
        process = self.processes.start(name, [self.mtlskit, "proxy", *args, "--log-format",
                                              "json"], f"{self.dir}/{name}.log")
        wait_listening(port, process, name)
        return process

    def start_mtlskit(self):
        pki, terminate_port, originate_port = self.pki, free_port(), free_port()
        terminate = self.mtlskit_proxy("mtlskit-terminate", [
            "terminate", "--listen", f"127.0.0.1:{terminate_port}",
            "--target", f"127.0.0.1:{self.upstream_port}", "--upstream-protocol", "http1",
            "--cert", pki.server_chain, "--key", pki.server_key, "--client-ca", pki.ca,
            "--header-timeout", "120s", "--idle-timeout", "120s"], terminate_port)
        originate = self.mtlskit_proxy("mtlskit-originate", [
            "originate", "--listen", f"127.0.0.1:{originate_port}",
            "--target", f"127.0.0.1:{terminate_port}", "--server-name", "localhost",
            "--cert", pki.client_chain, "--key", pki.client_key, "--ca", pki.ca,
            "--header-timeout", "120s", "--idle-timeout", "120s"], originate_port)
        return Tool("mtlskit", terminate, terminate_port, originate, originate_port,
                    originate_port)

    def start_nginx(self):
        terminate_port, port_h1, port_h2 = free_port(), free_port(), free_port()
        terminate = self.nginx("nginx-terminate", NGINX_TERMINATE.format(
            dir=self.dir, pki=self.pki, port=terminate_port, upstream=self.upstream_port),
            self.workers, [terminate_port])
        originate = self.nginx("nginx-originate", NGINX_ORIGINATE.format(
            dir=self.dir, pki=self.pki, port_h1=port_h1, port_h2=port_h2,
            target=terminate_port), self.workers, [port_h1, port_h2])
        return Tool("nginx", terminate, terminate_port, originate, port_h1, port_h2)

    def start_haproxy(self):
        terminate_port, originate_port = free_port(), free_port()
        terminate = self.haproxy("haproxy-terminate", HAPROXY_TERMINATE.format(
            pki=self.pki, port=terminate_port, upstream=self.upstream_port), [terminate_port])
        originate = self.haproxy("haproxy-originate", HAPROXY_ORIGINATE.format(
            port=originate_port, target=terminate_port,
            tls=HAPROXY_CLIENT_TLS.format(pki=self.pki)), [originate_port])
        return Tool("haproxy", terminate, terminate_port, originate, originate_port,
                    originate_port)
