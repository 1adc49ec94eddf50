"""ctkidney.models without TensorFlow: importable, and every function says how to
install it."""

import subprocess
import sys
import textwrap

BLOCKED = textwrap.dedent("""
    import sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("tensorflow", "keras", "tf_keras"):
                raise ImportError(f"blocked {name}")
            return None

    sys.meta_path.insert(0, Block())
""")

CHECK = textwrap.dedent("""
    import numpy as np
    import ctkidney.models as m
    calls = {
        "build_cnn": lambda: m.build_cnn(),
        "build_vgg16": lambda: m.build_vgg16(),
        "build_vgg19": lambda: m.build_vgg19(),
        "build_mobilenet": lambda: m.build_mobilenet(),
        "build_head": lambda: m.build_head(8),
        "unfreeze": lambda: m.unfreeze(None),
        "prepare": lambda: m.prepare(np.zeros((1, 8, 8), np.uint8)),
        "train": lambda: m.train(None, None, None),
        "predict": lambda: m.predict(None, None),
        "evaluate": lambda: m.evaluate(None, None, None),
        "embed": lambda: m.embed(None, None),
        "grad_cam": lambda: m.grad_cam(None, None),
        "save_model": lambda: m.save_model(None, "x.keras"),
        "load_model": lambda: m.load_model("x.keras"),
        "SliceClassifier": lambda: m.SliceClassifier("small_cnn", size=16).fit(
            np.zeros((2, 8, 8), np.uint8), [0, 1]),
    }
    # No TensorFlow needed: constants, the shortcut audit and the slice helpers.
    without_tf = {"AUGMENTATION", "KINDS", "CLASSIFIER_DEFAULTS", "FEATURE_MODEL",
                  "KIDNEY_REGION", "SHORTCUT_BINS", "SLICE_FEATURES", "ShortcutSummary",
                  "WINDOW_JITTER", "histogram_features", "kidney_region", "random_window",
                  "shortcut_baseline", "slice_features", "standardize_slice"}
    missing = set(m.__all__) - set(calls) - without_tf
    assert not missing, missing
    labels = np.repeat([0, 1], 40)
    images = (labels[:, None, None] * 100 + np.zeros((80, 8, 8))).astype(np.uint8)
    assert m.shortcut_baseline(images, labels, groups=np.arange(80), rng=0).accuracy == 1.0
    textured = np.random.default_rng(0).integers(0, 255, (80, 32, 32)).astype(np.uint8)
    clf = m.SliceClassifier(rng=0).fit(textured, labels)  # "recommended": no network
    assert clf.predict(textured).shape == (80,)
    assert not missing, missing
    for name, call in calls.items():
        try:
            call()
        except ImportError as exc:
            assert 'pip install "ctkidney[models]"' in str(exc), (name, exc)
        else:
            raise AssertionError(f"{name} did not raise ImportError")
    assert "tensorflow" not in sys.modules
    print("ok")
""")


def run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_every_function_says_how_to_install_tensorflow():
    result = run(BLOCKED + "import sys\n" + CHECK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_import_does_not_import_tensorflow():
    result = run("import sys, ctkidney.models, ctkidney.balancing\n"
                 "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"
