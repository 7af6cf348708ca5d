// Reading FIX text field by field without parsing it into a message.
//
// fixguard forwards message bodies byte for byte, so it needs to find fields
// in raw FIX. Data fields (RawData 96, Signature 89, ...) may contain SOH;
// their length comes from the field before them, as FIX requires.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fixguard::fix {

struct RawField {
  int tag = 0;
  std::string_view value;
  std::size_t begin = 0;        // offset of the first digit of the tag
  std::size_t value_begin = 0;  // offset of the value
  std::size_t end = 0;          // offset just past the terminating SOH
};

// Iterates the fields of a message. Stops at the first malformed field
// (`ok()` then tells whether the whole input was read).
class RawFields {
 public:
  explicit RawFields(std::string_view message) : message_(message) {}

  class iterator {
   public:
    iterator(const RawFields* owner, std::size_t pos) : owner_(owner), pos_(pos) { advance(); }
    const RawField& operator*() const { return field_; }
    const RawField* operator->() const { return &field_; }
    iterator& operator++() {
      pos_ = field_.end;
      advance();
      return *this;
    }
    bool operator!=(const iterator& other) const { return done_ != other.done_ || (!done_ && pos_ != other.pos_); }

   private:
    friend class RawFields;
    iterator() : owner_(nullptr), pos_(0), done_(true) {}
    void advance();
    const RawFields* owner_;
    std::size_t pos_;
    bool done_ = false;
    RawField field_;
    std::size_t pending_data_length_ = 0;
    int pending_data_tag_ = 0;
  };

  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(); }

 private:
  std::string_view message_;
};

// The tag of the data field whose length `tag` gives (95 -> 96), or 0.
int data_field_for_length(int length_tag);

// The first value of `tag` in the message, if any.
std::optional<std::string_view> find_field(std::string_view message, int tag);

// A SeqNum value (MsgSeqNum 34, RefSeqNum 45...) as an int, or -1 if it is
// empty, not all digits, or too large for an int (QuickFIX would silently
// wrap such a number into a small one).
int parse_seqnum_value(std::string_view value);

// Header fields of every FIX version fixguard speaks, as listed by the
// standard header component; trailer fields likewise.
bool is_header_tag(int tag);
bool is_trailer_tag(int tag);

}  // namespace fixguard::fix
