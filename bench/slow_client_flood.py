#!/usr/bin/env python3
"""The slow-client flood of issue 19 item 10, timed: how long `zooter serve` (default limits)
keeps a well-behaved client and a health probe waiting while SLOW connections send their request
heads at one byte per second.

Usage: bench/slow_client_flood.py [--build build] [--slow 600] [--give-up 40]

Starts the fake upstream and `zooter serve` (its defaults: --max-connections 512, 8 connections
kept for health checks, --header-timeout 10, --client-timeout 30) on 127.0.0.1, opens the slow
connections, then times, from the moment they are all open, the first 200 for GET /healthz and
for a chat POST, each retried every 50 ms while the answer is a 503 or the connection fails. Every
connection and process is closed at the end; nothing waits longer than --give-up seconds.
"""
import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time


def listening_url(process, name):
    line = process.stderr.readline().decode()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        sys.exit(f"{name} did not start: {line}")
    return match.group(1)


async def slow_client(port, stop):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    head = b"GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"s" * 4096
    i = 0
    while not stop.is_set() and not reader.at_eof():
        try:
            writer.write(head[i:i + 1])
            await writer.drain()
        except OSError:
            break
        i = (i + 1) % len(head)
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except asyncio.TimeoutError:
            pass
    writer.close()
    return True


async def request(port, raw):
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(raw)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 5.0)
        writer.close()
        parts = status_line.split()
        return int(parts[1]) if len(parts) > 1 else 0
    except (OSError, asyncio.TimeoutError, ValueError):
        return 0


async def time_until_200(port, raw, give_up):
    start = time.monotonic()
    tries = 0
    while time.monotonic() - start < give_up:
        tries += 1
        if await request(port, raw) == 200:
            return time.monotonic() - start, tries
        await asyncio.sleep(0.05)
    return None, tries


async def flood(port, slow, give_up):
    stop = asyncio.Event()
    clients = [asyncio.create_task(slow_client(port, stop)) for _ in range(slow)]
    await asyncio.sleep(0.5)  # every connection opened and its first byte sent
    health = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    body = json.dumps({"model": "alpha", "messages": [{"role": "user", "content": "hi"}]}).encode()
    chat = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    (health_s, health_tries), (chat_s, chat_tries) = await asyncio.gather(
        time_until_200(port, health, give_up), time_until_200(port, chat, give_up))
    stop.set()
    await asyncio.gather(*clients)
    return health_s, health_tries, chat_s, chat_tries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--slow", type=int, default=600)
    parser.add_argument("--give-up", type=float, default=40.0)
    args = parser.parse_args()
    processes = []
    try:
        fake = subprocess.Popen([os.path.join(args.build, "zooter_fake_upstream"), "0", "1"],
                                stderr=subprocess.PIPE)
        processes.append(fake)
        upstream = listening_url(fake, "the fake upstream")
        with tempfile.TemporaryDirectory() as work:
            endpoints = os.path.join(work, "endpoints.json")
            with open(endpoints, "w") as f:
                json.dump({"candidates": [{"name": "alpha", "base_url": upstream, "model": "alpha-model"}]}, f)
            serve = subprocess.Popen([os.path.join(args.build, "zooter"), "serve", "--endpoints", endpoints,
                                      "--default-model", "alpha", "--listen", "127.0.0.1:0"],
                                     stderr=subprocess.PIPE)
            processes.append(serve)
            port = int(listening_url(serve, "zooter serve").rsplit(":", 1)[1])
            health_s, health_tries, chat_s, chat_tries = asyncio.run(flood(port, args.slow, args.give_up))
        show = lambda s: "no 200 within --give-up" if s is None else f"{s:.2f} s"
        print(f"{args.slow} slow connections at 1 byte/s against zooter serve's defaults:")
        print(f"  GET /healthz: first 200 after {show(health_s)} ({health_tries} tries)")
        print(f"  POST /v1/chat/completions: first 200 after {show(chat_s)} ({chat_tries} tries)")
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(timeout=15)


if __name__ == "__main__":
    main()
