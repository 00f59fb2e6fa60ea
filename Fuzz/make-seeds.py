#!/usr/bin/env python3
"""Writes the committed seed corpora, Fuzz/Corpus/<target>/ (rerun after changing it; the files are small).

Each seed is a valid input or a near miss, so libFuzzer starts from the formats' real structure instead of
discovering magic numbers byte by byte. Model-file seeds are tiny synthetic files in the layouts that
Sources/ModelFiles reads (GGUF v2/v3; e5 `E5S1` as in Tests/ModelFilesTests/E5FileWriter.swift)."""
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")


def put(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


# GGUF: header, typed metadata, tensor directory, aligned data.
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(version, alignment=32):
    kv = [
        ("general.architecture", 8, gguf_string("qwen2")),
        ("u8", 0, struct.pack("<B", 7)), ("i8", 1, struct.pack("<b", -7)),
        ("u16", 2, struct.pack("<H", 700)), ("i16", 3, struct.pack("<h", -700)),
        ("u32", 4, struct.pack("<I", 70000)), ("i32", 5, struct.pack("<i", -70000)),
        ("f32", 6, struct.pack("<f", 0.5)), ("bool", 7, b"\x01"),
        ("u64", 10, struct.pack("<Q", 1 << 40)), ("i64", 11, struct.pack("<q", -(1 << 40))),
        ("f64", 12, struct.pack("<d", 0.25)),
        ("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, 3) + gguf_string("a") + gguf_string("Ġb") + gguf_string("<|im_end|>")),
        ("tokenizer.ggml.scores", 9, struct.pack("<IQ", 6, 2) + struct.pack("<ff", -1.0, -2.0)),
        ("nested", 9, struct.pack("<IQ", 9, 1) + struct.pack("<IQ", 5, 2) + struct.pack("<ii", 1, 2)),
    ]
    if alignment != 32:
        kv.append(("general.alignment", 4, struct.pack("<I", alignment)))
    # (name, dims, ggml type, data): f32 [4], q8_0 [32, 2] (34-byte blocks), f16 [2, 2, 2]
    q8 = b"".join(struct.pack("<e", 0.1) + bytes(range(i, i + 32)) for i in range(2))
    tensors = [("norm.weight", [4], 0, struct.pack("<4f", 1, 2, 3, 4)),
               ("blk.0.attn_q.weight", [32, 2], 8, q8),
               ("cube", [2, 2, 2], 1, struct.pack("<8e", *range(8)))]
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kv))
    for key, type_id, value in kv:
        out += gguf_string(key) + struct.pack("<I", type_id) + value
    offset, data = 0, b""
    for name, dims, type_id, payload in tensors:
        out += gguf_string(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
        out += struct.pack("<IQ", type_id, offset)
        data += payload + b"\0" * (-len(payload) % alignment)
        offset = len(data)
    out += b"\0" * (-len(out) % alignment)
    return out + data


put("gguf", "v3.gguf", gguf(3))
put("gguf", "v2-align64.gguf", gguf(2, alignment=64))
put("gguf", "truncated.gguf", gguf(3)[:200])


# e5: header, unigram pieces, normalisation table, tensor directory, 64-byte aligned data.
def e5(hidden=32, layers=1, heads=2, ffn=64, rows=8, positions=8, types=2, with_tensors=True):
    pieces = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0),
              ("\u2581", -2.0), ("\u2581a", -3.0), ("b", -4.0), ("预训练", -5.0)]
    normalization = [(0x09, [0x20]), (0x200B, []), (0xFF21, [0x41])]
    out = b"E5S1" + struct.pack("<I", 1) + struct.pack("<7i", hidden, layers, heads, ffn, rows, positions, types)
    out += struct.pack("<fi", 1e-12, 32)
    blob = b"".join(p.encode() for p, _ in pieces)
    out += struct.pack("<i", len(pieces)) + struct.pack("<4i", 0, 2, 1, 3) + struct.pack("<Q", len(blob))
    offsets, o = [0], 0
    for p, _ in pieces:
        o += len(p.encode())
        offsets.append(o)
    out += struct.pack(f"<{len(offsets)}I", *offsets) + struct.pack(f"<{len(pieces)}f", *[s for _, s in pieces]) + blob
    out += struct.pack("<iI", len(normalization), sum(5 + 4 * len(r) for _, r in normalization))
    for cp, r in normalization:
        out += struct.pack("<IB", cp, len(r)) + struct.pack(f"<{len(r)}I", *r)
    tensors = []
    if with_tensors:
        tensors = [("emb.word", True, rows * hidden), ("emb.pos", False, positions * hidden),
                   ("emb.type", False, types * hidden), ("emb.ln.w", False, hidden), ("emb.ln.b", False, hidden)]
        for n, q4, count in [("q.w", True, hidden * hidden), ("q.b", False, hidden), ("k.w", True, hidden * hidden),
                             ("k.b", False, hidden), ("v.w", True, hidden * hidden), ("v.b", False, hidden),
                             ("ao.w", True, hidden * hidden), ("ao.b", False, hidden), ("aln.w", False, hidden),
                             ("aln.b", False, hidden), ("fi.w", True, ffn * hidden), ("fi.b", False, ffn),
                             ("fo.w", True, hidden * ffn), ("fo.b", False, hidden), ("oln.w", False, hidden),
                             ("oln.b", False, hidden)]:
            tensors += [(f"l{layer}.{n}", q4, count) for layer in range(layers)]
    directory = 4 + sum(2 + len(n) + 1 + 4 + 8 + 8 for n, _, _ in tensors)
    at = (len(out) + directory + 63) // 64 * 64
    out += struct.pack("<i", len(tensors))
    payloads = []
    for n, q4, count in tensors:
        payload = (struct.pack("<e", 0.01) + bytes(range(16))) * (count // 32) if q4 else struct.pack(f"<{count}f", *[0.01 * (i % 7) for i in range(count)])
        out += struct.pack("<H", len(n)) + n.encode() + struct.pack("<BIQQ", 1 if q4 else 0, count, at, len(payload))
        payloads.append((at, payload))
        at = (at + len(payload) + 63) // 64 * 64
    for start, payload in payloads:
        out += b"\0" * (start - len(out)) + payload
    return out


put("e5", "tiny.bin", e5())
put("e5", "no-tensors.bin", e5(with_tensors=False))

# Text decoding: every encoding rag accepts and the near misses it refuses.
zh = "预训练是训练大语言模型的第一个阶段。\n\nAttention is all you need.\n"
put("text-decoding", "utf8.txt", zh)
put("text-decoding", "utf8-bom.txt", b"\xef\xbb\xbf" + zh.encode())
put("text-decoding", "utf16le.txt", b"\xff\xfe" + zh.encode("utf-16-le"))
put("text-decoding", "utf16be.txt", b"\xfe\xff" + zh.encode("utf-16-be"))
put("text-decoding", "gb18030.txt", zh.encode("gb18030") + "𠀀€".encode("gb18030"))
put("text-decoding", "binary.bin", b"\x7fELF\x02\x01\x01\0\0\0" + bytes(range(32)))
put("text-decoding", "blank.txt", " \t\r\n\u3000".encode())
put("text-decoding", "bad-utf8.txt", b"caf\xc3 \xff\xfe\xe4\xb8")

put("html", "page.html", """<!DOCTYPE html><html><head><title>预训练 &amp; RLHF</title><style>p{color:red}</style>
<script>if (a < b) { document.write("<p>x</p>") }</script></head><body><nav><a href="/">首页</a></nav>
<header><h1>站点</h1></header><main><h1>什么是预训练</h1><p>预训练是&#x7B2C;一个阶段&#12290;<br>It uses
<b>lots</b> of&nbsp;text &lt;tokens&gt;.</p><!-- a comment --><h2>Details</h2><ul><li>one<li>two</ul>
<pre>code  block</pre><table><tr><td>a</td><td>b</td></tr></table><img alt="图" src="x.png"/></main>
<aside>related</aside><footer>© 2025</footer></body></html>""")
put("html", "broken.html", "<div><h3>标题<p>unclosed <b>bold <i>both</b></i> &bogus; &#xFFFFFFFF; &#0; <scr<script>ipt>x</script")

put("markdown", "doc.md", """---
title: 预训练
tags: [llm]
---
# 预训练

什么是**预训练**？它是`第一个`阶段。See [the paper](https://arxiv.org/abs/1706.03762) and ![图](x.png).

Setext heading
--------------

> quoted line
> another

```python
def f(x):  # code kept whole
    return x
```

* * *
<!-- hidden
comment -->
## Trailing hashes ##
#hashtag is text
~~~
unclosed fence
""")

put("fts-query", "zh.txt", "什么是预训练")
put("fts-query", "en.txt", "What is attention? BM25 ranking")
put("fts-query", "syntax.txt", 'terms: "a" OR (b AND NOT c) NEAR(d e, 2) f* ^g unigrams : 预 "" \'x\' - + {terms} @')
put("fts-query", "mixed.txt", "Ｆｕｌｌ-width ｔｅｘｔ, café naïve 日本語のテキスト 한국어 ١٢٣ \u0301")

# Chunker: byte 0 = size - 16, byte 1 = overlap, then the text.
put("chunker", "zh-en.txt", bytes([48, 12]) + ("# 预训练\n\n## 什么是预训练\n\n预训练是第一个阶段。它使用大量文本；模型学习预测下一个词！"
                                             "This is English. It has sentences? Yes; many.\n\n"
                                             "一个很长的句子没有任何标点符号所以它必须在某个地方被切开才能放进一个段落里面去否则就太长了，"
                                             "逗号可以作为切分点、顿号也可以：冒号也行 space too\n\n# 标题\n\n尾").encode())
put("chunker", "long-line.txt", bytes([0, 15]) + ("word " * 60 + "3.14 file.txt e.g. “引号。”（括号）").encode())
