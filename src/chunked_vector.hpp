// Append-only storage in fixed-size chunks that never move: what the engine
// keeps per case and per history record.  Unlike std::vector it never copies
// what it holds to grow, so a million cases do not need twice their memory at
// the moment the last doubling happens, and appending never pays for a
// reallocation on the hot path.  A run appended with append_run() is
// contiguous (it starts a new chunk when the current one cannot hold it), so
// callers can keep a plain pointer range to it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace caseflow::detail {

template <class T, unsigned ChunkBits>
class chunked_vector {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                  "chunks are raw memory: untouched pages cost nothing until written");

public:
    static constexpr std::uint32_t chunk_size = 1u << ChunkBits;

    /// Index the next append will get.
    std::uint32_t size() const noexcept { return size_; }

    T& operator[](std::uint32_t i) noexcept { return chunks_[i >> ChunkBits][i & (chunk_size - 1)]; }
    const T& operator[](std::uint32_t i) const noexcept { return chunks_[i >> ChunkBits][i & (chunk_size - 1)]; }

    /// Appends one element; returns its index.
    std::uint32_t push_back(const T& x) {
        if (size_ == limit_) grow();
        const std::uint32_t i = size_++;
        (*this)[i] = x;
        return i;
    }

    /// Appends `n` elements (n ≤ chunk_size) contiguously; returns the first
    /// index.  The elements are left for the caller to write (`ptr(first)`).
    std::uint32_t append_run(std::uint32_t n) {
        if (n > chunk_size) throw std::length_error("chunked_vector: run longer than a chunk");
        if (limit_ - size_ < n) {
            if (size_ != limit_) size_ = limit_;  // the rest of this chunk stays unused
            grow();
        }
        const std::uint32_t first = size_;
        size_ += n;
        return first;
    }
    T* ptr(std::uint32_t i) noexcept { return &(*this)[i]; }
    const T* ptr(std::uint32_t i) const noexcept { return &(*this)[i]; }

    /// Calls f(element) for every element in index order (skipped chunk
    /// tails included: callers that use append_run do not iterate).
    template <class F>
    void for_each(F&& f) const {
        for (std::uint32_t i = 0; i < size_; ++i) f((*this)[i]);
    }

private:
    void grow() {
        if (chunks_.size() >= (std::size_t{1} << (32 - ChunkBits)))
            throw std::length_error("chunked_vector: more than 2^32 elements");
        // Raw, uninitialised memory: the kernel maps pages only when written.
        chunks_.emplace_back(static_cast<T*>(::operator new(sizeof(T) * chunk_size)));
        limit_ = static_cast<std::uint32_t>(chunks_.size()) << ChunkBits;
    }
    struct release {
        void operator()(T* p) const noexcept { ::operator delete(p); }
    };
    std::vector<std::unique_ptr<T[], release>> chunks_;
    std::uint32_t size_ = 0;
    std::uint32_t limit_ = 0;
};

}  // namespace caseflow::detail
