"""Generated answers through rag serve's streaming /v1/ask, timed from the client (stdlib only).

bench-serve-ask.py BASE N        N clients at once, each asking one question of QUESTIONS: per client the
                                 wait for the decoder, the time to the first piece and decode tokens/s.
bench-serve-ask.py BASE prefix UNCACHED_BASE
                                 for each question after a first one, the server-side time to first token
                                 with the prompt cache (BASE) and without it (UNCACHED_BASE).
"""
import json
import sys
import threading
import time
import urllib.request

QUESTIONS = ["什么是预训练", "微调和预训练有什么区别", "注意力机制是做什么的", "什么是分词", "What is RLHF?",
             "大模型为什么会产生幻觉", "什么是词元", "位置编码有什么作用"]


def ask(base, question, results, slot):
    body = json.dumps({"question": question, "mode": "generate", "stream": True, "max_tokens": 128}).encode()
    request = urllib.request.Request(base + "/v1/ask", body, {"Content-Type": "application/json"})
    sent = time.monotonic()
    first_piece = retrieved = None
    event = None
    with urllib.request.urlopen(request, timeout=900) as response:
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                if event == "retrieval" and retrieved is None:
                    retrieved = time.monotonic()
                elif event == "piece" and first_piece is None:
                    first_piece = time.monotonic()
                elif event == "answer":
                    report = json.loads(line[6:])["generation"]
    results[slot] = {
        "question": question,
        "first_piece_s": (first_piece or time.monotonic()) - sent,
        "server_ttft_ms": report["time_to_first_token_ms"],
        "decode_tps": report["decode_tokens_per_second"],
        "tokens": report["generated_tokens"],
        "prompt_tokens": report["prompt_tokens"],
        "cached_prompt_tokens": report["cached_prompt_tokens"],
    }


def concurrent(base, clients):
    ask(base, "什么是大语言模型", [None], 0)  # loads the decoder (a question not measured: a repeated prompt is all cached)
    results = [None] * clients
    threads = [threading.Thread(target=ask, args=(base, QUESTIONS[i % len(QUESTIONS)], results, i)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{clients} client(s) at once:")
    print("| question | first piece (client) | of which waiting for the decoder | server TTFT | decode tok/s | tokens |")
    print("|---|---|---|---|---|---|")
    for r in sorted(results, key=lambda r: r["first_piece_s"]):
        wait = r["first_piece_s"] - r["server_ttft_ms"] / 1000
        print(f"| {r['question']} | {r['first_piece_s']:.2f} s | {max(wait, 0):.2f} s | {r['server_ttft_ms']:.0f} ms | "
              f"{r['decode_tps']:.1f} | {r['tokens']} |")


def prefix(cached, uncached):
    print("| question (after 什么是预训练) | prompt tokens | cached | TTFT cached | TTFT uncached |")
    print("|---|---|---|---|---|")
    totals = [0.0, 0.0]
    for question in QUESTIONS[1:6]:
        rows = []
        for base in (cached, uncached):
            warm = [None]
            ask(base, "什么是预训练", warm, 0)
            result = [None]
            ask(base, question, result, 0)
            rows.append(result[0])
        totals[0] += rows[0]["server_ttft_ms"]
        totals[1] += rows[1]["server_ttft_ms"]
        print(f"| {question} | {rows[0]['prompt_tokens']} | {rows[0]['cached_prompt_tokens']} | "
              f"{rows[0]['server_ttft_ms']:.0f} ms | {rows[1]['server_ttft_ms']:.0f} ms |")
    print(f"mean TTFT: {totals[0] / 5:.0f} ms cached, {totals[1] / 5:.0f} ms uncached ({totals[1] / max(totals[0], 1):.2f}x)")


if __name__ == "__main__":
    if sys.argv[2] == "prefix":
        prefix(sys.argv[1], sys.argv[3])
    else:
        concurrent(sys.argv[1], int(sys.argv[2]))
