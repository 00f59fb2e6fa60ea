"""Drives `rag mcp` with a client nobody here wrote: the official Python MCP SDK (`mcp` on PyPI).

Spawns the server over stdio on an index of Corpus/, initialises, lists tools, resources and templates,
calls every tool (with one bad call per tool, each of which must be a tool error with a one-line
message), reads a resource, and checks the results against the command line: search hits as
`rag search --json` gives them, the documents as `rag list --json`, and `ask 什么是预训练` through MCP the
same answer, citations and grounding as `rag ask --json` with the same settings. The SDK itself checks
every structured result against the tool's output schema.

Run by scripts/test-mcp (which builds the index and the venv); prints one line per check and a
closing "N passed, N failed"; exits 1 when a check failed.
"""
import argparse
import asyncio
import datetime
import json
import os
import subprocess
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
import mcp.types as types

passed, failed = 0, 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok    {name}")
    else:
        failed += 1
        print(f"FAIL  {name}" + (f": {detail}" if detail else ""))


def rag_json(binary, *arguments):
    """`rag ARGUMENTS --json` as the command line prints it."""
    out = subprocess.run([binary, *arguments, "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def text_of(result):
    return "\n".join(block.text for block in result.content if block.type == "text")


def without_timings(report):
    """An ask report less what two runs never share: the wall-clock timings of generation."""
    report = json.loads(json.dumps(report))
    if report.get("generation"):
        for key in ("time_to_first_token_ms", "decode_tokens_per_second"):
            report["generation"].pop(key, None)
    return report


README_ROOT = "/home/me/rag"


def readme_server_entry(root):
    """The "rag" entry of the mcpServers snippet in README.md."""
    with open(os.path.join(root, "README.md"), encoding="utf-8") as readme:
        blocks = readme.read().split("```")
    snippet = next(block for block in blocks if block.startswith("json") and '"mcpServers"' in block)
    return json.loads(snippet[len("json"):])["mcpServers"]["rag"]


async def bad_call(session, tool, arguments, expected_start):
    result = await session.call_tool(tool, arguments)
    line = text_of(result)
    check(f"{tool} {json.dumps(arguments, ensure_ascii=False)} is a tool error",
          result.isError and result.structuredContent is None and "\n" not in line and line.startswith(expected_start),
          f"isError={result.isError} text={line!r}")


async def run(options):
    binary, index = os.path.abspath(options.rag), options.index
    allowed = os.path.join(options.work, "allowed")
    os.makedirs(allowed, exist_ok=True)
    with open(os.path.join(allowed, "notes.md"), "w", encoding="utf-8") as note:
        note.write("# 量化\n\n量化把模型权重从 16 位浮点数压缩成 4 位整数，让大模型能在普通电脑上运行。\n")
    # The README's mcpServers snippet, as written, with its example paths replaced by this run's; started from
    # a folder of its own, as clients do.
    entry = readme_server_entry(options.root)
    command = entry["command"].replace(README_ROOT, options.root)
    check("the README snippet names the release binary", os.path.realpath(command) == os.path.realpath(os.path.join(options.root, ".build/release/rag")),
          command)
    args = [index if a.endswith("Indexes/default.sqlite") else a for a in entry["args"]] + ["--allow-ingest", allowed]
    check("the README snippet runs rag mcp --index", args[:2] == ["mcp", "--index"] and args[2] == index, args)
    server = StdioServerParameters(command=binary, args=args, cwd=options.work, env=dict(os.environ))
    stderr_path = os.path.join(options.work, "mcp-stderr.txt")
    with open(stderr_path, "w") as errlog:
        async with stdio_client(server, errlog=errlog) as (read, write):
            async with ClientSession(read, write, read_timeout_seconds=datetime.timedelta(seconds=300)) as session:
                await exercise(session, binary, index, allowed, options.root)
    with open(stderr_path) as errlog:
        stderr = errlog.read()
    check("notes go to stderr", stderr.startswith(f"rag mcp: serving {index} over stdio"), stderr[:200])


async def exercise(session, binary, index, allowed, root):
    init = await session.initialize()
    check("initialize: server rag, protocol " + types.LATEST_PROTOCOL_VERSION,
          init.serverInfo.name == "rag" and init.protocolVersion == types.LATEST_PROTOCOL_VERSION,
          f"{init.serverInfo} {init.protocolVersion}")
    check("capabilities: tools and resources", init.capabilities.tools is not None and init.capabilities.resources is not None)

    tools = (await session.list_tools()).tools
    names = [tool.name for tool in tools]
    check("tools/list names the five tools", names == ["search_documents", "read_document", "ask", "list_documents", "ingest"], names)
    check("every tool has input and output schemas",
          all(t.inputSchema.get("type") == "object" and (t.outputSchema or {}).get("type") == "object" for t in tools))

    # list_documents and resources: the documents `rag list --json` lists.
    listed = rag_json(binary, "list", "--index", index)
    result = await session.call_tool("list_documents", {})
    documents = result.structuredContent["documents"]
    check("list_documents: the documents of rag list",
          [(d["path"], d["title"], d["chunks"], d["sha256"]) for d in documents]
          == [(d["path"], d["title"], d["chunks"], d["sha256"]) for d in listed] and len(documents) == 14,
          f"{len(documents)} documents")
    resources = (await session.list_resources()).resources
    check("resources/list: one rag://document/{id} per document",
          [(str(r.uri), r.name) for r in resources] == [(f"rag://document/{d['id']}", d["path"]) for d in documents])
    templates = (await session.list_resource_templates()).resourceTemplates
    check("resource template rag://document/{id}", [t.uriTemplate for t in templates] == ["rag://document/{id}"])

    # search_documents: exactly `rag search --json`.
    expected = rag_json(binary, "search", "什么是预训练", "--index", index)
    result = await session.call_tool("search_documents", {"query": "什么是预训练"})
    hits = result.structuredContent["hits"]
    check("search_documents: what rag search --json prints", result.structuredContent == expected,
          json.dumps(result.structuredContent, ensure_ascii=False)[:300])
    check("search_documents: the pretraining passage first", hits and hits[0]["source"] == "Corpus/09-pretraining.md")
    check("search_documents: a readable text rendering", text_of(result).startswith("1. Corpus/09-pretraining.md #"), text_of(result)[:100])
    # in / not_in: the same filter as rag search --in/--not-in, k hits from the admitted documents only.
    expected = rag_json(binary, "search", "什么是预训练", "--index", index, "-k", "3", "--in", "1*", "--not-in", "*.txt")
    result = await session.call_tool("search_documents", {"query": "什么是预训练", "k": 3, "in": ["1*"], "not_in": "*.txt"})
    sources = [h["source"] for h in result.structuredContent["hits"]]
    check("search_documents with in / not_in: what rag search --in --not-in prints", result.structuredContent == expected,
          sources)
    check("search_documents with in / not_in: three hits, all admitted", len(sources) == 3
          and all(s.startswith("Corpus/1") and not s.endswith(".txt") for s in sources), sources)
    result = await session.call_tool("search_documents", {"query": "什么是预训练", "in": ["*.pdf"]})
    check("a filter that admits nothing is a tool error saying so", result.isError and "no indexed document" in text_of(result),
          text_of(result)[:200])

    # read_document: the offsets of a hit read back its text; the whole text is the resource's.
    top = hits[0]
    result = await session.call_tool("read_document", {"source": top["source"], "start": top["start"], "end": top["end"]})
    check("read_document at a hit's offsets gives the hit's text", result.structuredContent["text"] == top["text"])
    whole = (await session.call_tool("read_document", {"source": top["source"]})).structuredContent
    check("the hit's offsets index the whole text (code points)", whole["text"][top["start"]:top["end"]] == top["text"])
    uri = "rag://document/%d" % next(d["id"] for d in documents if d["path"] == top["source"])
    contents = (await session.read_resource(uri)).contents
    check("resources/read gives the document's text", len(contents) == 1 and contents[0].text == whole["text"]
          and contents[0].mimeType == "text/plain")
    around = (await session.call_tool("read_document", {"source": uri, "start": max(0, top["end"] - 20),
                                                          "end": top["end"] + 40})).structuredContent
    check("read_document by URI, around a hit", around["text"] == whole["text"][max(0, top["end"] - 20):top["end"] + 40])

    # ask: the same answer, citations and grounding as `rag ask --json` (greedy, k 5, compare).
    progress = []

    async def on_progress(value, total, message):
        progress.append((value, message))

    started = time.monotonic()
    result = await session.call_tool("ask", {"question": "什么是预训练"}, progress_callback=on_progress)
    seconds = time.monotonic() - started
    report = result.structuredContent
    cli = rag_json(binary, "ask", "什么是预训练", "--index", index)
    check(f"ask 什么是预训练 through MCP = rag ask --json ({seconds:.1f} s)", without_timings(report) == without_timings(cli),
          json.dumps({"mcp": (report.get("generation") or {}).get("cited_answer"),
                      "cli": (cli.get("generation") or {}).get("cited_answer")}, ensure_ascii=False))
    generation = report.get("generation") or {}
    check("ask: covered, quoted, generated and cited", report["covered"] and report["retrieval"]["quotes"]
          and generation.get("answer") and any(c["source"] == "Corpus/09-pretraining.md" for c in generation.get("citations", [])),
          json.dumps(generation.get("citations"), ensure_ascii=False))
    check("ask: the text rendering carries the cited answer", generation.get("cited_answer", "?") in text_of(result))
    check(f"ask: progress notifications count up ({len(progress)} of them)",
          len(progress) > generation.get("generated_tokens", 0) and [v for v, _ in progress] == sorted(v for v, _ in progress)
          and progress[-1][1].endswith(generation.get("answer", "?")), progress[:2])

    result = await session.call_tool("ask", {"question": "量子计算机的工作原理是什么"})
    report = result.structuredContent
    check("ask outside the documents: not covered, nothing generated",
          report["covered"] is False and report["generation"] is None and report["message"] and text_of(result).startswith(report["message"]))

    # One bad call per tool: a tool error with its one line, never a protocol error.
    await bad_call(session, "search_documents", {"k": 3}, 'search_documents needs the argument "query"')
    await bad_call(session, "read_document", {"source": "Corpus/no-such.md"}, "read_document: no document Corpus/no-such.md")
    await bad_call(session, "ask", {"question": "什么是预训练", "k": 0}, 'ask: "k" is 0')
    await bad_call(session, "list_documents", {"all": True}, "list_documents takes no arguments")
    corpus = os.path.join(root, "Corpus")
    await bad_call(session, "ingest", {"paths": [corpus]}, f"ingest: {corpus} (")

    # ingest (inside --allow-ingest), then the new document is found.
    result = await session.call_tool("ingest", {"paths": [allowed]})
    check("ingest inside the allowed folder adds the file", not result.isError and result.structuredContent["added"] == 1, text_of(result))
    found = (await session.call_tool("search_documents", {"query": "量化", "k": 1})).structuredContent["hits"]
    check("search finds what ingest added", found and found[0]["source"].endswith("allowed/notes.md"), found)
    check("list_documents then has 15 documents",
          len((await session.call_tool("list_documents", {})).structuredContent["documents"]) == 15)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rag", required=True, help="the rag binary")
    parser.add_argument("--index", required=True, help="an index of Corpus/ (the test ingests into it)")
    parser.add_argument("--work", required=True, help="a scratch folder")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), help="the repository")
    options = parser.parse_args()
    asyncio.run(run(options))
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
