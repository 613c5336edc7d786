"""Batch runs over listing photos: inputs, downloads, the results store, the parallel
runner, and the exports and reports made from the store."""
