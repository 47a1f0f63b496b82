// The engine's internal value form: one 64-bit slot per attribute or event
// field, read through the type the rule declares.  Strings are interned ids,
// enumerations are indexes, dates are days, instants and durations are ms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "caseflow/value.hpp"

namespace caseflow::detail {

using slot = std::int64_t;
/// The slot of an attribute that has no value.
constexpr slot unset_slot = std::numeric_limits<std::int64_t>::min();

/// A declared `enum` type: its value names in declaration order.
struct enum_def {
    std::vector<std::string> names;
    /// Index of `name`, or -1.
    int find(std::string_view name) const;
};

/// The static type of an attribute, event field or expression.
struct slot_type {
    value_type type = value_type::none;
    int enum_id = -1;  ///< which enum_def, for value_type::enumeration
    friend bool operator==(slot_type a, slot_type b) { return a.type == b.type && a.enum_id == b.enum_id; }
    friend bool operator!=(slot_type a, slot_type b) { return !(a == b); }
};

/// The 64-bit hash string_pool files `s` under (exposed for its tests).  Not
/// stable across platforms or versions: never persist it.
std::uint64_t string_hash(std::string_view s);

/// Interned strings.  Ids are dense and assigned in first-seen order, so the
/// same inputs give the same ids (determinism).  Never shrinks; the views get()
/// returns stay valid for the pool's lifetime (also across moves), because
/// characters are never moved.
///
/// Storage, 25-31 bytes for a unique 11-character string (a node-based map of
/// std::strings took ~94): the characters, each string preceded by its length
/// as a LEB128 varint, in blocks of `block_bytes` that are never reallocated (a
/// string too long for a block gets a block of its own); one pointer per id, in
/// fixed chunks (no doubling slack, no copy when it grows); and an
/// open-addressed table of ids (linear probing, power-of-two capacity, at most
/// 3/4 full).
class string_pool {
public:
    /// Size of a character block; longer strings get a block of their own.
    static constexpr std::size_t block_bytes = std::size_t{64} * 1024;

    string_pool() = default;
    string_pool(const string_pool& other);
    string_pool(string_pool&& other) noexcept;
    string_pool& operator=(string_pool other) noexcept;  // copy or move, then swap
    ~string_pool();

    std::uint32_t intern(std::string_view s);
    /// The id of `s` if interned, else -1.
    std::int64_t find(std::string_view s) const;
    std::string_view get(std::uint32_t id) const { return view_at(at(id)); }
    std::size_t size() const { return size_; }

private:
    static constexpr unsigned chunk_shift = 12;  ///< 4096 pointers per index chunk
    static constexpr std::uint32_t chunk_mask = (1u << chunk_shift) - 1;

    const char* at(std::uint32_t id) const { return index_[id >> chunk_shift][id & chunk_mask]; }
    /// The string stored at `p`: a LEB128 length, then the characters.
    static std::string_view view_at(const char* p) {
        std::size_t n = 0;
        unsigned shift = 0;
        unsigned char b;
        do {
            b = static_cast<unsigned char>(*p++);
            n |= static_cast<std::size_t>(b & 0x7fu) << shift;
            shift += 7;
        } while (b & 0x80u);
        return {p, n};
    }
    /// The table index where `s` (hash `h`) is, or the free one where it would go.
    std::size_t probe(std::string_view s, std::uint64_t h) const;
    /// Copies `s` (with its length prefix) into a block; returns where.
    const char* store(std::string_view s);
    void grow();
    void swap(string_pool& other) noexcept;

    std::vector<const char**> index_;   ///< id -> its characters, chunked (owned, new[])
    std::vector<std::uint32_t> table_;  ///< ids by hash; free_slot where empty
    std::vector<char*> blocks_;         ///< character blocks (owned, new[])
    std::size_t size_ = 0;
    char* cur_ = nullptr;               ///< free space in the current block
    std::size_t left_ = 0;              ///< bytes free at cur_
};

/// Converts a host value into a slot of type `t`.  Throws usage_error with a
/// message naming `what` when the value does not fit the type.
slot to_slot(const value& v, slot_type t, string_pool& pool, const std::vector<enum_def>& enums,
             std::string_view what);
/// Converts a slot back into a host value (none for unset_slot).
value from_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums);
/// The text form used in histories and action parameters.
std::string format_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums);

}  // namespace caseflow::detail
