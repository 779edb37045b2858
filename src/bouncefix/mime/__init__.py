"""The MIME reader: bytes to a tree of parts, in linear time and without the email
package (reader.py), the parts (part.py), their parameters (params.py, RFC 2045/2231),
transfer encodings (transfer.py) and text decoding (textcodec.py: charsets, RFC 2047).
tests/test_part.py holds it against the email package as an oracle."""
