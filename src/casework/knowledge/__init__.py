"""The knowledge base: articles, their passages, and retrieval over the approved ones.

An answer is only as good as its source, so everything here keeps the article id,
version and passage that a later draft or self-service answer will cite.
"""
