"""Batch and distributed processing of image stacks and datasets (Dask, extra ``dask``)."""

__all__ = []
