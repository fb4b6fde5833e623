#!/usr/bin/python3
# A stand-in cryptominer for the lab's cryptominer scenario: it logs in to a stratum pool, burns CPU hashing for a
# few seconds and submits shares, the way a real miner behaves on the network and in the process table.
# Usage: xmrig-lite -o HOST:PORT -u WALLET [--seconds N]
import argparse, hashlib, json, socket, time

parser = argparse.ArgumentParser()
parser.add_argument("-o", "--url", required=True)
parser.add_argument("-u", "--user", required=True)
parser.add_argument("--seconds", type=float, default=3.0)
args = parser.parse_args()
host, port = args.url.removeprefix("stratum+tcp://").rsplit(":", 1)

with socket.create_connection((host, int(port)), timeout=10) as conn:
    lines = conn.makefile("r")
    def call(msg_id, method, params):
        conn.sendall((json.dumps({"id": msg_id, "method": method, "params": params}) + "\n").encode())
    call(1, "mining.subscribe", ["xmrig-lite/6.21.0"])
    call(2, "mining.authorize", [args.user, "x"])
    job = None
    while job is None:
        message = json.loads(lines.readline())
        if message.get("method") == "mining.notify":
            job = message["params"]
    deadline, nonce, shares = time.monotonic() + args.seconds, 0, 0
    while time.monotonic() < deadline:
        digest = hashlib.sha256(f"{job[1]}{nonce}".encode()).digest()
        if digest[0] == 0 and digest[1] == 0:
            shares += 1
            call(10 + shares, "mining.submit", [args.user, job[0], "00000000", "6553f100", f"{nonce:08x}"])
        nonce += 1
    print(f"hashes={nonce} shares={shares}")
