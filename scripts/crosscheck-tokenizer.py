#!/usr/bin/env python3
"""Cross-checks `rag tokenize` against HF `tokenizers` on ~270 random mixed-script strings (letters, CJK, marks,
symbols, emoji, exotic spaces and digits, contractions, special tokens). The HF tokenizer is rebuilt from the GGUF's
own vocabulary and merges with Qwen2's split regex, so this tests our hand-written scanner against a real regex
engine on inputs the fixed references do not cover. Prints every difference; exits 1 if there is one.

    python3 -m venv /tmp/ggufenv && /tmp/ggufenv/bin/pip install gguf tokenizers
    swift build -c release --product rag
    /tmp/ggufenv/bin/python scripts/crosscheck-tokenizer.py [.build/release/rag]
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from gguf import GGUFReader
from tokenizers import Tokenizer, Regex, AddedToken
from tokenizers.models import BPE
from tokenizers import pre_tokenizers, decoders

MODELS = os.environ.get('RAG_MODELS', os.path.expanduser('~/.cache/rag/models'))
r = GGUFReader(os.path.join(MODELS, 'qwen2.5-coder-0.5b-instruct-q4_k_m.gguf'))
f = r.fields
toks = f['tokenizer.ggml.tokens'].contents()
types = f['tokenizer.ggml.token_type'].contents()
merges = [tuple(m.split(' ', 1)) for m in f['tokenizer.ggml.merges'].contents()]
vocab = {t: i for i, t in enumerate(toks) if types[i] == 1}
tk = Tokenizer(BPE(vocab=vocab, merges=merges, ignore_merges=False))
pat = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
tk.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(pat), behavior="isolated", invert=False),
                                            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
tk.decoder = decoders.ByteLevel()
tk.add_special_tokens([AddedToken(t, special=True, normalized=False) for i, t in enumerate(toks) if types[i] in (3, 4)])

random.seed(7)
pools = {
    'ascii': "abcXYZ0123456789 .,;:!?'\"()[]{}<>-_=+*/\\|@#$%^&~`\t\n\r",
    'cjk': "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞",
    'kana_hangul': "あいうえおかきくけこアイウエオカキクケコ한국어문장입니다",
    'marks': "\u0301\u0300\u0308\u0327\u20dd\u200d\ufe0f",
    'symbols': "©®™°±×÷√∫≈≤≥∞€£¥￥§¶•…—–“”‘’«»「」『』【】〈〉《》",
    'emoji': "🚀🙂😀👍🏽❤️🇨🇳🧑‍💻",
    'space': " \u00a0\u3000\u2009\u2028\u0085\u000b\u000c",
    'numbers': "０１２３４５６７８９²³½①Ⅻ٣",
    'fullwidth': "ＡＢＣａｂｃ，。！？：；（）",
    'rare': "𠀀𠀁𪚥𰻞饕餮魑魅魍魉Ωçµ",
}
allchars = ''.join(pools.values())
texts = []
for n in range(250):
    k = random.choice([1, 2, 3, 5, 8, 13, 30])
    if n % 3 == 0:
        s = ''.join(random.choice(allchars) for _ in range(k))
    else:
        s = ''.join(random.choice(pools[random.choice(list(pools))]) for _ in range(k))
    texts.append(s)
texts += ["don't DON'T 'S 'll", "a  \n\n b", "x\r\n\r\ny", "  ", "\t", "'", "''s", "a'", "3.14e23", "<|im_start|><|im_end|>x",
          "<tool_call>", "hello<|endoftext|>world", "ß ẞ ǅ", "ﬁ ﬂ", "İstanbul", "x\u0301y"]
bad = 0
rag = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '.build', 'release', 'rag')
scratch = os.path.join(tempfile.mkdtemp(), 'text.txt')
for t in texts:
    hf = tk.encode(t, add_special_tokens=False).ids
    with open(scratch, 'w', encoding='utf-8', newline='') as fh:
        fh.write(t)
    ours = json.loads(subprocess.run([rag, 'tokenize', '--file', scratch, '--json'], capture_output=True, text=True, check=True).stdout)['ids']
    if hf != ours:
        bad += 1
        print('DIFF', repr(t), 'hf', hf, 'ours', ours)
print(f'{len(texts)} texts, {bad} differ')
sys.exit(1 if bad else 0)
