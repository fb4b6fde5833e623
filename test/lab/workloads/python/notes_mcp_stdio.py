"""notes: a small MCP server over stdio that the research agent launches as a child process.

It searches and reads the agent's research notes (markdown files in NOTES_DIR).
"""
import os
from pathlib import Path

from mcp.server.mcpserver import MCPServer

NOTES = Path(os.environ["NOTES_DIR"]).resolve()
server = MCPServer("notes", version="0.3.0")


@server.tool()
def search_notes(query: str) -> list[str]:
    """Names of the notes whose text mentions the query (case-insensitive)."""
    needle = query.lower()
    return sorted(p.name for p in NOTES.glob("*.md") if needle in p.read_text(encoding="utf-8").lower())


@server.tool()
def read_note(path: str) -> str:
    """The text of one note, by file name."""
    note = (NOTES / path).resolve()
    if note.parent != NOTES:
        raise ValueError(f"not a note: {path}")
    return note.read_text(encoding="utf-8")


if __name__ == "__main__":
    server.run("stdio")
