// The libyaml-built document tree (src/yaml_tree.hpp) that the rule and
// calendar loaders read.  Marks are 0-based (line, character column) and were
// counted by hand on the texts below; the last case checks the tree against
// yaml-cpp, which the loaders used before, on every shipped YAML file.
#define BOOST_TEST_MODULE yaml_tree
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "yaml_tree.hpp"

using caseflow::yaml::document;
using caseflow::yaml::node;
using caseflow::yaml::syntax_error;

namespace {

std::string at(const node* n) {
    if (!n) return "missing";
    return std::to_string(n->where().line) + ":" + std::to_string(n->where().column);
}

const node* key_of(const node& map, std::size_t i) { return map.entries().at(i).first; }

// The error of parsing `text`, as "line:column message".
std::string error_of(const std::string& text) {
    try {
        document doc(text);
    } catch (const syntax_error& e) {
        return std::to_string(e.where().line) + ":" + std::to_string(e.where().column) + " " + e.what();
    }
    return "no error";
}

}  // namespace

BOOST_AUTO_TEST_CASE(marks_of_keys_and_values) {
    document doc("workflow: w\nstates:\n  a: { on: { go: b } }\n");
    const node& root = doc.root();
    BOOST_TEST(root.is_map());
    BOOST_TEST(at(&root) == "0:0");
    BOOST_TEST(root.size() == 2u);
    BOOST_TEST(at(key_of(root, 0)) == "0:0");
    BOOST_TEST(at(root.get("workflow")) == "0:10");
    BOOST_TEST(root.get("workflow")->scalar() == "w");
    BOOST_TEST(at(key_of(root, 1)) == "1:0");
    const node* states = root.get("states");
    BOOST_TEST(at(states) == "2:2");  // a block mapping starts at its first key
    BOOST_TEST(at(key_of(*states, 0)) == "2:2");
    const node* a = states->get("a");
    BOOST_TEST(at(a) == "2:5");  // the '{'
    BOOST_TEST(at(key_of(*a, 0)) == "2:7");
    const node* on = a->get("on");
    BOOST_TEST(at(on) == "2:11");
    BOOST_TEST(at(key_of(*on, 0)) == "2:13");
    BOOST_TEST(at(on->get("go")) == "2:17");
    BOOST_TEST(on->get("go")->scalar() == "b");
}

BOOST_AUTO_TEST_CASE(nested_block_and_flow_collections) {
    document doc("list:\n  - [x, y]\n  - {k: v}\n  - plain\nindentless:\n- 1\n");
    const node* list = doc.root().get("list");
    BOOST_TEST(list->is_sequence());
    BOOST_TEST(at(list) == "1:2");  // the first '-'
    BOOST_TEST(list->size() == 3u);
    const node* xy = list->items()[0];
    BOOST_TEST(xy->is_sequence());
    BOOST_TEST(at(xy) == "1:4");
    BOOST_TEST(at(xy->items()[0]) == "1:5");
    BOOST_TEST(at(xy->items()[1]) == "1:8");
    BOOST_TEST(xy->items()[1]->scalar() == "y");
    const node* kv = list->items()[1];
    BOOST_TEST(kv->is_map());
    BOOST_TEST(at(kv) == "2:4");
    BOOST_TEST(at(key_of(*kv, 0)) == "2:5");
    BOOST_TEST(at(kv->get("k")) == "2:8");
    BOOST_TEST(at(list->items()[2]) == "3:4");
    BOOST_TEST(list->items()[2]->scalar() == "plain");
    const node* indentless = doc.root().get("indentless");
    BOOST_TEST(indentless->is_sequence());
    BOOST_TEST(at(indentless) == "5:0");
    BOOST_TEST(at(indentless->items()[0]) == "5:2");
}

BOOST_AUTO_TEST_CASE(anchors_and_aliases) {
    document doc("base: &b { k: 1 }\nuse: *b\nname: &n x\nagain: *n\n");
    const node& root = doc.root();
    BOOST_TEST(root.get("use") == root.get("base"));  // an alias is the anchored node itself
    BOOST_TEST(at(root.get("use")) == "0:6");         // so it has the anchor's mark
    BOOST_TEST(root.get("use")->get("k")->scalar() == "1");
    BOOST_TEST(root.get("again") == root.get("name"));
    BOOST_TEST(at(root.get("name")) == "2:6");
    BOOST_TEST(error_of("a: *nope\n") == "0:3 the referenced anchor is not defined");
    BOOST_TEST(error_of("a: &x [*x]\n") == "0:7 the referenced anchor is not defined");  // no cycles
}

BOOST_AUTO_TEST_CASE(quoted_plain_and_null_scalars) {
    document doc("a: 'x'\nb: \"y\"\nc: z\nd: |\n  t\nn1: ~\nn2: null\nn3:\ns: 'null'\nt: !!str w\n");
    const node& root = doc.root();
    BOOST_TEST(root.get("a")->quoted());
    BOOST_TEST(root.get("a")->scalar() == "x");
    BOOST_TEST(root.get("b")->quoted());
    BOOST_TEST(!root.get("c")->quoted());
    BOOST_TEST(root.get("d")->quoted());  // a block scalar, marked at its '|'
    BOOST_TEST(root.get("d")->scalar() == "t\n");
    BOOST_TEST(at(root.get("d")) == "3:3");
    BOOST_TEST(root.get("n1")->is_null());
    BOOST_TEST(at(root.get("n1")) == "5:4");
    BOOST_TEST(root.get("n2")->is_null());
    BOOST_TEST(root.get("n2")->scalar() == "");
    BOOST_TEST(root.get("n3")->is_null());
    BOOST_TEST(at(root.get("n3")) == "8:0");  // an absent value: where the next token starts
    BOOST_TEST(root.get("s")->is_scalar());
    BOOST_TEST(root.get("s")->scalar() == "null");
    BOOST_TEST(!root.get("t")->quoted());  // an explicit tag is not the quote mark
    BOOST_TEST(root.get("t")->scalar() == "w");
    BOOST_TEST(at(root.get("t")) == "9:3");  // the tag starts the node
    document last("a:\n  # nothing\n");
    BOOST_TEST(at(last.root().get("a")) == "2:0");  // at the end of the text: column 0
}

BOOST_AUTO_TEST_CASE(lookup) {
    document doc("a: 1\na: 2\n~: 3\nlist: [a]\n");
    const node& root = doc.root();
    BOOST_TEST(root.size() == 4u);                   // duplicates are kept
    BOOST_TEST(root.get("a")->scalar() == "1");      // get finds the first
    BOOST_TEST(root.get("b") == nullptr);
    BOOST_TEST(root.get("~") == nullptr);            // a null key is no scalar
    BOOST_TEST(key_of(root, 2)->scalar() == "");
    BOOST_TEST(root.get("list")->get("a") == nullptr);  // not a mapping
    BOOST_TEST(root.get("a")->items().empty());
    BOOST_TEST(root.get("list")->entries().empty());
}

BOOST_AUTO_TEST_CASE(columns_count_characters) {
    // 通 and 知 are three bytes each, é two, and each one column, as an
    // editor shows them and as the expression compiler counts.
    document doc("name: 通知\nx: {a: é, b: 1}\n通知: {c: 通知, d: }\n");
    const node* x = doc.root().get("x");
    BOOST_TEST(at(x->get("a")) == "1:7");
    BOOST_TEST(at(key_of(*x, 1)) == "1:10");
    BOOST_TEST(at(x->get("b")) == "1:13");
    BOOST_TEST(doc.root().get("name")->scalar() == "通知");
    const node* y = doc.root().get("通知");
    BOOST_TEST(at(y) == "2:4");
    BOOST_TEST(at(key_of(*y, 0)) == "2:5");
    BOOST_TEST(at(y->get("c")) == "2:8");
    BOOST_TEST(at(key_of(*y, 1)) == "2:12");
    BOOST_TEST(at(y->get("d")) == "2:15");  // absent: marked at the next token, the '}'
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_not_a_column_and_every_line_break_starts_a_line) {
    // A file saved with a UTF-8 byte order mark (Windows editors add one):
    // columns as without it, on the first line and after.
    for (const char* text : {"\xEF\xBB\xBFname: 通知\nx: {a: é}\n", "\xEF\xBB\xBFname: n\nx: {a: e}\n"}) {
        document doc(text);
        BOOST_TEST(at(key_of(doc.root(), 0)) == "0:0");
        BOOST_TEST(at(doc.root().get("name")) == "0:6");
        BOOST_TEST(at(key_of(doc.root(), 1)) == "1:0");
        BOOST_TEST(at(doc.root().get("x")->get("a")) == "1:7");
    }
    // The line breaks libyaml knows, in a text with multi-byte characters
    // (whose columns the locator counts itself): CR LF, a lone CR, NEL
    // (U+0085), LS (U+2028), PS (U+2029).
    for (const char* text : {"name: 通知\r\nx: {a: é}\r\n", "name: 通知\rx: {a: é}\r", "name: 通知\xC2\x85x: {a: é}\n",
                             "name: 通知\xE2\x80\xA8x: {a: é}\n", "name: 通知\xE2\x80\xA9x: {a: é}\n"}) {
        document doc(text);
        BOOST_TEST(at(key_of(doc.root(), 1)) == "1:0");
        BOOST_TEST(at(doc.root().get("x")->get("a")) == "1:7");
    }
    // An absent value is marked at the next token, a line further, whatever
    // the break, and past a comment that any break ends.
    for (const char* text : {"é:\rb: 1\r", "é:\xC2\x85" "b: 1\n", "é:\xE2\x80\xA9" "b: 1\n"}) {
        document doc(text);
        BOOST_TEST(at(doc.root().get("é")) == "1:0");
        BOOST_TEST(at(key_of(doc.root(), 1)) == "1:0");
    }
    document comments("é: # c\xE2\x80\xA8# d\xE2\x80\xA8" "b: 1\n");
    BOOST_TEST(at(comments.root().get("é")) == "2:0");
    BOOST_TEST(at(key_of(comments.root(), 1)) == "2:0");
}

// Windows editors save "Unicode" as UTF-16 with a byte order mark: such a
// file reads as its UTF-8 twin, marks included (an emoji is a surrogate pair
// in UTF-16 and one column).
BOOST_AUTO_TEST_CASE(utf16_files_read_as_their_utf8_twins) {
    const std::u16string text = u"name: 通知 😀\nx: {a: é}\ny:\nz: 1\n";
    for (const int variant : {0, 1, 2, 3}) {  // the YAML spec reads UTF-16 without a mark too
        const bool little = variant & 1, marked = variant & 2;
        BOOST_TEST_CHECKPOINT("little endian " << little << ", byte order mark " << marked);
        std::string bytes = !marked ? "" : little ? "\xFF\xFE" : "\xFE\xFF";
        for (const char16_t u : text) {
            const char high = static_cast<char>(u >> 8), low = static_cast<char>(u & 0xFF);
            bytes += little ? low : high;
            bytes += little ? high : low;
        }
        document doc(bytes);
        BOOST_TEST(doc.root().get("name")->scalar() == "通知 😀");
        BOOST_TEST(at(doc.root().get("x")->get("a")) == "1:7");
        BOOST_TEST(doc.root().get("x")->get("a")->scalar() == "é");
        BOOST_TEST(at(doc.root().get("y")) == "3:0");  // absent: marked at the next token
        BOOST_TEST(at(doc.root().get("z")) == "3:3");
    }
}

BOOST_AUTO_TEST_CASE(utf32_files_are_refused_with_a_fix) {
    for (const bool little : {true, false}) {
        std::string bytes;
        for (const char c : std::string("a: 1\n")) bytes += little ? std::string(1, c) + std::string(3, '\0') : std::string(3, '\0') + c;
        BOOST_TEST(error_of(bytes) == "0:0 the file is UTF-32");
        try {
            document doc(bytes);
        } catch (const syntax_error& e) {
            BOOST_TEST(e.report() == "YAML syntax error: the file is UTF-32; save it as UTF-8 (or as UTF-16)");
        }
    }
}

BOOST_AUTO_TEST_CASE(syntax_errors) {
    BOOST_TEST(error_of("workflow: w\nstates: { a: [\n") == "2:0 end of sequence flow not found");
    BOOST_TEST(error_of("a: {b: 1\n") == "1:0 end of map flow not found");
    BOOST_TEST(error_of("a: b: c\n") == "0:4 illegal map value");
    BOOST_TEST(error_of("a:\n\tb: 1\n") == "1:0 illegal tab when looking for indentation");
    BOOST_TEST(error_of("a: \"\\q\"\n") == "0:4 unknown escape character: q");
    BOOST_TEST(error_of("a: 1\n---\nb: [\n") == "no error");  // only the first document is read
}

BOOST_AUTO_TEST_CASE(empty_document) {
    for (const char* text : {"", "# only a comment\n", "\n\n"}) {
        document doc(text);
        BOOST_TEST(doc.root().is_null());
        BOOST_TEST(doc.root().where().line == -1);
        BOOST_TEST(doc.root().where().column == -1);
    }
}

namespace {

// One line per node: mark, kind, text, quoted; yaml-cpp's and ours alike.
void dump(std::ostream& out, const YAML::Node& n, int depth) {
    out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << n.Mark().line << ':' << n.Mark().column << ' ';
    if (n.IsMap()) {
        out << "map\n";
        for (const auto& kv : n) {
            dump(out, kv.first, depth + 1);
            dump(out, kv.second, depth + 2);
        }
    } else if (n.IsSequence()) {
        out << "seq\n";
        for (const auto& x : n) dump(out, x, depth + 1);
    } else if (n.IsScalar()) {
        out << '\'' << n.Scalar() << "' " << (n.Tag() == "!") << '\n';
    } else {
        out << "null\n";
    }
}

void dump(std::ostream& out, const node& n, int depth) {
    out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << n.where().line << ':' << n.where().column << ' ';
    if (n.is_map()) {
        out << "map\n";
        for (const auto& kv : n.entries()) {
            dump(out, *kv.first, depth + 1);
            dump(out, *kv.second, depth + 2);
        }
    } else if (n.is_sequence()) {
        out << "seq\n";
        for (const node* x : n.items()) dump(out, *x, depth + 1);
    } else if (n.is_scalar()) {
        out << '\'' << n.scalar() << "' " << n.quoted() << '\n';
    } else {
        out << "null\n";
    }
}

// A dump whose lines start with "line:column" (after indentation or
// "error "), columns in bytes of `text`'s lines, with columns in characters.
std::string in_characters(const std::string& dump, const std::string& text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.push_back(std::string_view(text).substr(start, end - start));
        start = end + 1;
    }
    std::istringstream in(dump);
    std::string out, row;
    while (std::getline(in, row)) {
        const std::size_t colon = row.find(':'), digits = row.find_first_of("0123456789");
        const std::size_t end = row.find(' ', colon);
        const std::size_t line = std::stoul(row.substr(digits, colon - digits));
        std::size_t column = std::stoul(row.substr(colon + 1, end - colon - 1)), chars = 0;
        for (std::size_t b = 0; b < column && line < lines.size() && b < lines[line].size(); ++b)
            chars += (static_cast<unsigned char>(lines[line][b]) & 0xC0) != 0x80;
        if (line < lines.size() && column <= lines[line].size()) column = chars;
        out += row.substr(0, colon + 1) + std::to_string(column) + row.substr(end) + '\n';
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_tree_as_yaml_cpp_for_every_shipped_file) {
    namespace fs = std::filesystem;
    int files = 0;
    for (const char* dir : {"rules", "examples", "tests/fixtures"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(CASEFLOW_SOURCE_DIR) / dir)) {
            if (entry.path().extension() != ".yaml") continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            std::ostringstream theirs, ours;
            try {
                dump(theirs, YAML::Load(text.str()), 0);
            } catch (const YAML::ParserException& e) {
                theirs << "error " << e.mark.line << ':' << e.mark.column << ' ' << e.msg << '\n';
            }
            // yaml-cpp counts bytes, the tree characters.
            theirs.str(in_characters(theirs.str(), text.str()));
            try {
                document doc(text.str());
                dump(ours, doc.root(), 0);
            } catch (const syntax_error& e) {
                ours << "error " << e.where().line << ':' << e.where().column << ' ' << e.what() << '\n';
            }
            BOOST_TEST(ours.str() == theirs.str(), entry.path().string());
            ++files;
        }
    }
    BOOST_TEST(files > 40);
}
