"""What a response sends, whether it is an ordinary or a streaming one (downloads are served
as files)."""


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
