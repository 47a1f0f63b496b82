#include "caseflow/detail/slot.hpp"

#include <cstring>
#include <stdexcept>
#include <utility>

#include "caseflow/error.hpp"

namespace caseflow::detail {

int enum_def::find(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<int>(i);
    return -1;
}

// --- string_pool ---------------------------------------------------------------

namespace {

constexpr std::uint32_t free_slot = 0xffffffffu;  // so ids go up to 2^32 - 2
constexpr std::size_t first_capacity = 16;        // table slots; a power of two

std::uint64_t rotl(std::uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }

// The splitmix64 finalizer: a bijection that mixes every input bit into every
// output bit, so the table may take the low bits.
std::uint64_t fmix(std::uint64_t h) {
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    h ^= h >> 31;
    return h;
}

// Hashes the bytes eight at a time.  Each step is a bijection of the running
// state for a fixed word and of the word for a fixed state, so two strings of
// one length that differ in a single word never collide; the length is folded
// in first, so embedded or trailing NUL bytes still count.  Written here, not
// taken from a library: std::hash<std::string_view>'s speed and quality are
// the standard library's choice (byte-wise FNV-1a in some), and a hashing
// library such as xxHash would be a new build and install dependency (and one
// more find_dependency in the package config) for these twenty lines, whose
// cost at phone-number lengths is dwarfed by the table's cache misses anyway.
// The values never leave the process and never decide an id, so they may
// differ between platforms (byte order) without harming determinism.
std::uint64_t hash_bytes(const char* p, std::size_t n) {
    constexpr std::uint64_t k = 0x9e3779b97f4a7c15u;
    std::uint64_t h = (static_cast<std::uint64_t>(n) ^ 0x243f6a8885a308d3u) * k;
    for (; n >= 8; n -= 8, p += 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (rotl(h, 23) ^ w) * k;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (rotl(h, 23) ^ w) * k;
    }
    return fmix(h);
}

// Appends a new T[n] to `owners`; leaves `owners` as it was if either step throws.
template <class T>
T* push_owned(std::vector<T*>& owners, std::size_t n) {
    owners.push_back(nullptr);
    try {
        return owners.back() = new T[n];
    } catch (...) {
        owners.pop_back();
        throw;
    }
}

}  // namespace

std::uint64_t string_hash(std::string_view s) { return hash_bytes(s.data(), s.size()); }

string_pool::string_pool(const string_pool& other) : string_pool() {
    // Delegating: should a copy throw, the destructor frees what was made so far.
    for (std::uint32_t id = 0; id < other.size_; ++id) {
        if ((id & chunk_mask) == 0) push_owned(index_, std::size_t{chunk_mask} + 1);
        index_.back()[id & chunk_mask] = store(other.get(id));
        size_ = id + std::size_t{1};
    }
    table_ = other.table_;  // same ids, same hashes: the layout holds as it is
}

string_pool::string_pool(string_pool&& other) noexcept
    : index_(std::move(other.index_)),
      table_(std::move(other.table_)),
      blocks_(std::move(other.blocks_)),
      size_(other.size_),
      cur_(other.cur_),
      left_(other.left_) {
    other.index_.clear();
    other.table_.clear();
    other.blocks_.clear();
    other.size_ = 0;
    other.cur_ = nullptr;
    other.left_ = 0;
}

string_pool& string_pool::operator=(string_pool other) noexcept {
    swap(other);
    return *this;
}

string_pool::~string_pool() {
    for (const char** c : index_) delete[] c;
    for (char* b : blocks_) delete[] b;
}

void string_pool::swap(string_pool& other) noexcept {
    index_.swap(other.index_);
    table_.swap(other.table_);
    blocks_.swap(other.blocks_);
    std::swap(size_, other.size_);
    std::swap(cur_, other.cur_);
    std::swap(left_, other.left_);
}

std::size_t string_pool::probe(std::string_view s, std::uint64_t h) const {
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
        const std::uint32_t id = table_[i];
        if (id == free_slot || view_at(at(id)) == s) return i;
    }
}

const char* string_pool::store(std::string_view s) {
    unsigned char len[(sizeof(std::size_t) * 8 + 6) / 7];
    std::size_t nlen = 0;
    for (std::size_t n = s.size();; n >>= 7) {
        len[nlen++] = static_cast<unsigned char>((n & 0x7fu) | (n > 0x7fu ? 0x80u : 0u));
        if (n <= 0x7fu) break;
    }
    const std::size_t need = nlen + s.size();
    char* dst;
    if (need <= left_) {
        dst = cur_;
        cur_ += need;
        left_ -= need;
    } else if (need > block_bytes / 4) {
        // A block of its own, so at most a quarter of a block is ever left
        // unused; the current block stays current.
        dst = push_owned(blocks_, need);
    } else {
        dst = push_owned(blocks_, block_bytes);
        cur_ = dst + need;
        left_ = block_bytes - need;
    }
    std::memcpy(dst, len, nlen);
    if (!s.empty()) std::memcpy(dst + nlen, s.data(), s.size());
    return dst;
}

void string_pool::grow() {
    std::vector<std::uint32_t> bigger(table_.empty() ? first_capacity : table_.size() * 2, free_slot);
    const std::size_t mask = bigger.size() - 1;
    for (std::uint32_t id = 0; id < size_; ++id) {
        const std::string_view s = view_at(at(id));
        std::size_t i = static_cast<std::size_t>(hash_bytes(s.data(), s.size())) & mask;
        while (bigger[i] != free_slot) i = (i + 1) & mask;
        bigger[i] = id;
    }
    table_.swap(bigger);
}

std::uint32_t string_pool::intern(std::string_view s) {
    const std::uint64_t h = hash_bytes(s.data(), s.size());
    std::size_t i = 0;
    if (!table_.empty()) {
        i = probe(s, h);
        if (table_[i] != free_slot) return table_[i];
    }
    if (size_ >= free_slot) throw std::length_error("caseflow: more than 2^32 - 1 interned strings");
    // Grow so as to be at most 3/4 full after this insert.
    if ((size_ + 1) * 4 > table_.size() * 3) {
        grow();
        i = probe(s, h);
    }
    const auto id = static_cast<std::uint32_t>(size_);
    if ((id >> chunk_shift) == index_.size()) push_owned(index_, std::size_t{chunk_mask} + 1);
    const char* chars = store(s);
    // Nothing below throws: a failure above leaves the pool as it was (less
    // some unused capacity).
    index_[id >> chunk_shift][id & chunk_mask] = chars;
    table_[i] = id;
    ++size_;
    return id;
}

std::int64_t string_pool::find(std::string_view s) const {
    if (table_.empty()) return -1;
    const std::uint32_t id = table_[probe(s, hash_bytes(s.data(), s.size()))];
    return id == free_slot ? std::int64_t{-1} : std::int64_t{id};
}

slot to_slot(const value& v, slot_type t, string_pool& pool, const std::vector<enum_def>& enums,
             std::string_view what) {
    if (v.is_none()) return unset_slot;
    auto mismatch = [&]() -> usage_error {
        return usage_error(std::string(what) + ": expected a value of type " + std::string(to_string(t.type)) +
                           ", got " + std::string(to_string(v.type())) + " '" + v.to_string() + "'");
    };
    // Host convenience: a string may stand for any type in its rule-file spelling.
    if (v.type() == value_type::string && t.type != value_type::string) {
        value parsed = parse_value(t.type, v.as_string());
        if (parsed.is_none()) throw mismatch();
        return to_slot(parsed, t, pool, enums, what);
    }
    switch (t.type) {
        case value_type::string:
            if (v.type() != value_type::string) throw mismatch();
            return pool.intern(v.as_string());
        case value_type::enumeration: {
            if (v.type() != value_type::enumeration) throw mismatch();
            const auto& e = enums.at(static_cast<std::size_t>(t.enum_id));
            int i = e.find(v.as_string());
            if (i < 0) {
                std::string list;
                for (const auto& n : e.names) list += (list.empty() ? "" : ", ") + n;
                throw usage_error(std::string(what) + ": '" + v.as_string() + "' is not one of [" + list + "]");
            }
            return i;
        }
        case value_type::integer:
            if (v.type() != value_type::integer) throw mismatch();
            return v.as_integer();
        case value_type::decimal:
            if (v.type() != value_type::decimal && v.type() != value_type::integer) throw mismatch();
            return v.as_decimal().units;
        case value_type::boolean:
            if (v.type() != value_type::boolean) throw mismatch();
            return v.as_boolean() ? 1 : 0;
        case value_type::date:
            if (v.type() != value_type::date) throw mismatch();
            return v.as_date().time_since_epoch().count();
        case value_type::instant:
            if (v.type() != value_type::instant) throw mismatch();
            return v.as_instant().time_since_epoch().count();
        case value_type::duration:
            if (v.type() != value_type::duration) throw mismatch();
            return v.as_duration().count();
        case value_type::none: break;
    }
    throw mismatch();
}

value from_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums) {
    if (s == unset_slot) return {};
    switch (t.type) {
        case value_type::string: return value(pool.get(static_cast<std::uint32_t>(s)));
        case value_type::enumeration:
            return value::enumeration(enums.at(static_cast<std::size_t>(t.enum_id)).names.at(static_cast<std::size_t>(s)));
        case value_type::integer: return value(static_cast<std::int64_t>(s));
        case value_type::decimal: return value(decimal{s});
        case value_type::boolean: return value(s != 0);
        case value_type::date: return value(date_t{date_t::duration{s}});
        case value_type::instant: return value(instant{duration{s}});
        case value_type::duration: return value(duration{s});
        case value_type::none: break;
    }
    return {};
}

std::string format_slot(slot s, slot_type t, const string_pool& pool, const std::vector<enum_def>& enums) {
    return from_slot(s, t, pool, enums).to_string();
}

}  // namespace caseflow::detail
