"""The scikit-learn estimator checks that apply to SliceClassifier, one list for the
default model (test_classifier_features.py) and the networks (test_classifier.py).

The stock checks that apply to an estimator over images construct, clone, get/set
parameters and call an unfitted estimator. The others feed 2-D feature matrices to
fit; their image counterparts are tests of their own (fit does not change the
parameters, pickling, fit twice, string labels, cross-validation)."""

from sklearn.utils import estimator_checks as checks

APPLICABLE_CHECKS = [
    checks.check_no_attributes_set_in_init,
    checks.check_parameters_default_constructible,
    checks.check_get_params_invariance,
    checks.check_set_params,
    checks.check_estimators_unfitted,
    checks.check_estimator_repr,
    checks.check_estimator_cloneable,
    checks.check_do_not_raise_errors_in_init_or_set_params,
    checks.check_mixin_order,
    checks.check_valid_tag_types,
    checks.check_estimator_tags_renamed,
]


def assert_check_passes(check, estimator):
    """Run one stock check (it raises on failure) and assert that it left the
    caller's estimator as it was (the checks work on clones)."""
    params = estimator.get_params()
    check(type(estimator).__name__, estimator)
    assert estimator.get_params() == params
    assert not hasattr(estimator, "model_")
