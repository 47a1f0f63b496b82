// A read-only YAML document tree for the rule and calendar loaders.
//
// Why it exists: yaml-cpp's parser spent ~15 ms of the ~18.5 ms it took to
// load the shipped rules (its regex scanner and shared_ptr node graph);
// libyaml's event parser reads the same files in ~1 ms.  This file builds a
// small tree from libyaml's events that behaves like the yaml-cpp nodes the
// loaders used before, so their diagnostics stay the same: the same node
// kinds (`~`, `null` and an absent value are null), the same 0-based marks
// (a node's mark is that of its anchor or tag if it has one; an absent value
// is marked where the next token starts) except that columns count
// characters, as an editor and the expression compiler do, where yaml-cpp
// counted bytes, and a byte order mark is no column; an alias is
// the anchored node itself, only the first document of a stream is read, and
// syntax errors use yaml-cpp's wording where it has one.  yaml-cpp stays the
// library for everything else (the history emitter, replay files).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace caseflow::yaml {

/// A read-only view of a node's children (sequence items or mapping entries).
template <class T>
class children {
public:
    children() = default;
    children(const T* first, std::size_t count) : first_(first), count_(count) {}
    const T* begin() const noexcept { return first_; }
    const T* end() const noexcept { return first_ + count_; }
    std::size_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }
    const T& operator[](std::size_t i) const noexcept { return first_[i]; }
    const T& at(std::size_t i) const {
        if (i >= count_) throw std::out_of_range("yaml node: child index out of range");
        return first_[i];
    }

private:
    const T* first_ = nullptr;
    std::size_t count_ = 0;
};

/// A 0-based position; -1 when there is none (the root of an empty document).
struct mark {
    int line = -1;
    int column = -1;
};

class node {
public:
    enum class kind : std::uint8_t { null, scalar, sequence, map };

    kind type() const noexcept { return kind_; }
    bool is_null() const noexcept { return kind_ == kind::null; }
    bool is_scalar() const noexcept { return kind_ == kind::scalar; }
    bool is_sequence() const noexcept { return kind_ == kind::sequence; }
    bool is_map() const noexcept { return kind_ == kind::map; }

    /// The text of a scalar; empty for every other kind.
    const std::string& scalar() const noexcept { return text_; }
    /// True for a scalar written in quotes or as a block scalar (`|`, `>`)
    /// without an explicit tag: its text starts one column after its mark.
    bool quoted() const noexcept { return quoted_; }
    mark where() const noexcept { return mark_; }

    using entry = std::pair<const node*, const node*>;
    /// Sequence items; empty for every other kind.
    children<const node*> items() const noexcept {
        return kind_ == kind::sequence ? children<const node*>(static_cast<const node* const*>(children_), count_) : children<const node*>();
    }
    /// Mapping entries in document order, duplicates kept; empty for other kinds.
    children<entry> entries() const noexcept {
        return kind_ == kind::map ? children<entry>(static_cast<const entry*>(children_), count_) : children<entry>();
    }
    std::size_t size() const noexcept { return kind_ == kind::map || kind_ == kind::sequence ? count_ : 0; }

    /// The value of the first entry whose key is a scalar equal to `key`;
    /// nullptr when there is none or this is not a mapping.
    const node* get(std::string_view key) const noexcept;

private:
    friend class document;
    kind kind_ = kind::null;
    bool quoted_ = false;
    mark mark_;
    std::uint32_t count_ = 0;          // children
    std::uint32_t first_ = 0;          // while parsing: index of the first in the document's pool
    const void* children_ = nullptr;   // once parsed: the first child (item or entry)
    std::string text_;
};

/// A YAML syntax error: where and what, without the file name.
class syntax_error : public std::runtime_error {
public:
    syntax_error(mark where, const std::string& message) : std::runtime_error(message), where_(where) {}
    mark where() const noexcept { return where_; }

    /// What the rule-file loaders report: "YAML syntax error: <what>; <how
    /// to fix it>" (the position is theirs to add, with the file name).
    std::string report() const;

private:
    mark where_;
};

/// The first document of a YAML text.  Nodes live as long as the document.
class document {
public:
    /// Throws syntax_error.
    explicit document(std::string_view text);
    document(document&&) = default;
    document& operator=(document&&) = default;
    document(const document&) = delete;
    document& operator=(const document&) = delete;

    /// The root node: a null node without a mark if the text has no document.
    const node& root() const noexcept { return *root_; }

private:
    node& new_node();

    // Nodes in blocks that never move (children point at them); each node's
    // children in one of two pools, contiguous, pointed at once parsing ends.
    std::vector<std::unique_ptr<node[]>> blocks_;
    std::size_t block_used_ = 0;
    std::vector<const node*> item_pool_;
    std::vector<node::entry> entry_pool_;
    const node* root_ = nullptr;
};

}  // namespace caseflow::yaml
