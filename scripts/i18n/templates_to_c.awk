# Turns one template into C source for xgettext: every {% trans "..." %} or
# {% trans '...' %} tag becomes _("...") on the line where the tag starts,
# and the output has as many lines as the template, so the references that
# xgettext writes point into the template. The text between the quotes is
# taken literally, as core/src/web/templates.cpp does. Portable awk (gawk
# or mawk): no intervals, no gensub.

function c_string(text,    out, i, c) {
  out = ""
  for (i = 1; i <= length(text); i++) {
    c = substr(text, i, 1)
    if (c == "\\") out = out "\\\\"
    else if (c == "\"") out = out "\\\""
    else if (c == "\n") out = out "\\n"
    else if (c == "\r") out = out "\\r"
    else out = out c
  }
  return "\"" out "\""
}

function count_newlines(text) {
  return gsub(/\n/, "\n", text)
}

{ text = text $0 "\n"; lines++ }

END {
  line = 1
  while (match(text, /[{]%[ \t\r\n]*trans[ \t\r\n]+("[^"]*"|'[^']*')[ \t\r\n]*%[}]/)) {
    tag = substr(text, RSTART, RLENGTH)
    line += count_newlines(substr(text, 1, RSTART - 1))
    text = substr(text, RSTART + RLENGTH)

    quoted = tag
    sub(/^[{]%[ \t\r\n]*trans[ \t\r\n]+/, "", quoted)
    quote = substr(quoted, 1, 1)
    rest = substr(quoted, 2)
    msgid = substr(rest, 1, index(rest, quote) - 1)
    calls[line] = calls[line] "_(" c_string(msgid) ");"

    line += count_newlines(tag)
  }
  for (i = 1; i <= lines; i++) print calls[i]
}
