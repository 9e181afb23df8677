# cmake -DIN=file.c -DOUT=file.inc -DNAME=symbol -P embed.cmake
# Writes IN as a C string constant NAME to OUT (for files a tool prints).
file(READ "${IN}" content)
string(REPLACE "\\" "\\\\" content "${content}")
string(REPLACE "\"" "\\\"" content "${content}")
string(REPLACE "\n" "\\n\"\n\"" content "${content}")
file(WRITE "${OUT}.tmp" "/* generated from ${IN} */\nstatic const char ${NAME}[] =\n\"${content}\";\n")
file(RENAME "${OUT}.tmp" "${OUT}")
