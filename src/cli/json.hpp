// Minimal JSON string quoting for the CLI's `--format json` lines.  The CLI
// only ever writes flat objects of strings, so a JSON library would add a
// dependency for one function.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace caseflow::cli {

inline std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

}  // namespace caseflow::cli
