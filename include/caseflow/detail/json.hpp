// Minimal JSON string quoting for `--format json` output (CLI, reports).
// Only flat objects of strings and numbers are ever written, so a JSON
// library would add a dependency for one function.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace caseflow::detail {

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

}  // namespace caseflow::detail
