"""A small Python app for Slipway: the standard library's HTTP server on $PORT."""
import os
import platform
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"hello from python-app (Python {platform.python_version()})\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8080"))
    print(f"python-app listening on {port}", flush=True)
    ThreadingHTTPServer(("", port), Hello).serve_forever()
