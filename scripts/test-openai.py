"""The official `openai` Python package, unchanged, against `rag serve`'s OpenAI-compatible routes.

Usage: test-openai.py BASE_URL INDEX RAG [--key-only]. Checks models, chat completions (whole and
streamed) and embeddings; the content must be the cited answer `rag ask --json` gives for the same question.
"""
import json
import math
import os
import subprocess
import sys

import openai

base, index, rag = sys.argv[1:4]
key_only = "--key-only" in sys.argv
key = os.environ.get("RAG_TEST_KEY", "unused")
client = openai.OpenAI(base_url=base, api_key=key, max_retries=0, timeout=600)


def check(condition, what):
    if not condition:
        sys.exit(f"test-openai: FAILED: {what}")


models = [m.id for m in client.models.list()]
check({"rag", "rag-retrieve"} <= set(models), f"models listed: {models}")
if key_only:
    try:
        openai.OpenAI(base_url=base, api_key="wrong-key-000", max_retries=0).models.list()
        check(False, "a wrong key is refused")
    except openai.AuthenticationError as error:
        check(error.status_code == 401, "401 for a wrong key")
    print("test-openai: the key is required and accepted")
    sys.exit(0)

question = "什么是预训练"
cli = json.loads(subprocess.run([rag, "ask", question, "--index", index, "--json", "--max-tokens", "96"],
                                check=True, capture_output=True, text=True).stdout)

whole = client.chat.completions.create(model="rag", messages=[{"role": "user", "content": question}], max_tokens=96)
content = whole.choices[0].message.content
check(content == cli["generation"]["cited_answer"], f"content is rag ask's cited answer:\n{content}\n---\n{cli['generation']['cited_answer']}")
check(whole.usage.prompt_tokens == cli["generation"]["prompt_tokens"], "usage counts the prompt")
extra = whole.model_extra or {}
check("rag" in extra and extra["rag"]["generation"]["citations"], "sources ride along in the rag field")

pieces, final = [], None
for chunk in client.chat.completions.create(model="rag", messages=[{"role": "user", "content": question}], max_tokens=96,
                                            stream=True, stream_options={"include_usage": True}):
    if chunk.choices and chunk.choices[0].delta.content:
        pieces.append(chunk.choices[0].delta.content)
    if chunk.choices and chunk.choices[0].finish_reason:
        final = chunk
check("".join(pieces) == cli["generation"]["answer"], "the stream is the generated text")
check(final is not None and (final.model_extra or {}).get("rag", {}).get("generation"), "the last chunk carries the report")

quotes = client.chat.completions.create(model="rag-retrieve", messages=[{"role": "user", "content": question}])
check("[1]" in quotes.choices[0].message.content, "rag-retrieve answers with numbered quotes")

vectors = client.embeddings.create(model="multilingual-e5-small", input=["什么是预训练", "What is pre-training?"])
check(len(vectors.data) == 2 and len(vectors.data[0].embedding) == 384, "two 384-dimensional vectors")
norm = math.sqrt(sum(v * v for v in vectors.data[0].embedding))
check(abs(norm - 1) < 1e-3, f"unit length ({norm})")
one = client.embeddings.create(model="multilingual-e5-small", input="什么是预训练")  # base64 by default in the client
check(max(abs(a - b) for a, b in zip(one.data[0].embedding, vectors.data[0].embedding)) < 1e-6, "base64 and float agree")

try:
    client.chat.completions.create(model="rag", messages=[{"role": "user", "content": "?" * 10}])
    check(False, "a question with nothing to search is refused")
except openai.BadRequestError as error:
    check("no letters" in str(error), f"the 400 says why: {error}")
print("test-openai: models, chat completions (whole and streamed), embeddings and errors pass")
