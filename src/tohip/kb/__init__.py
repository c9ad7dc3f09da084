"""The knowledge base: clinical data files, their schema, loader and checks."""

from tohip.kb.loader import KnowledgeBase, Problem, load_knowledge_base, read_knowledge_base

__all__ = ["KnowledgeBase", "Problem", "load_knowledge_base", "read_knowledge_base"]
