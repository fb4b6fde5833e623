"""Load generators for the collector benchmarks (Python: a paced loop is precise enough at these rates).

  collector-load.py opens PATH RATE SECONDS     open+close PATH at RATE per second
  collector-load.py execs RATE SECONDS          run /bin/true RATE times per second
  collector-load.py https URL RATE SECONDS      POST an OpenAI-style request RATE times per second (keep-alive TLS)
Prints the number of operations done.
"""
import http.client, json, os, ssl, subprocess, sys, time
from urllib.parse import urlparse


def paced(rate, seconds, op):
    slice_s = 0.01
    per_slice = rate * slice_s
    done, owed = 0, 0.0
    start = time.monotonic()
    next_tick = start
    while True:
        now = time.monotonic()
        if now - start >= seconds:
            break
        owed += per_slice
        n = int(owed)
        owed -= n
        for _ in range(n):
            op()
        done += n
        next_tick += slice_s
        delay = next_tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    return done


def main():
    mode = sys.argv[1]
    if mode == "opens":
        path, rate, seconds = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
        done = paced(rate, seconds, lambda: os.close(os.open(path, os.O_RDONLY)))
    elif mode == "execs":
        rate, seconds = float(sys.argv[2]), float(sys.argv[3])
        done = paced(rate, seconds, lambda: subprocess.run(["/bin/true"]))
    elif mode == "https":
        url, rate, seconds = urlparse(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(url.hostname, url.port, context=ctx)
        body = json.dumps({"model": "bench-model", "messages": [{"role": "user", "content": "hello"}]})

        def call():
            conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json", "Authorization": "Bearer sk-bench-0123456789abcdefghij"})
            conn.getresponse().read()

        done = paced(rate, seconds, call)
    else:
        raise SystemExit("unknown mode " + mode)
    print(done)


main()
