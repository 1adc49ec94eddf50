"""The README's quickstart runs as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "README has no python block"
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
    printed = capsys.readouterr().out.split()
    assert len(printed) >= 3
    noisy_psnr, clean_psnr = float(printed[0]), float(printed[1])
    assert clean_psnr > noisy_psnr  # the denoiser helped


def test_readme_has_the_two_setup_commands():
    text = README.read_text()
    assert 'pip install ".[all]" && ctkidney study --quick' in text
    assert 'pip install -e ".[dev]" && pytest' in text
