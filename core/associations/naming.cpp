// Default names: plural/singular aliases and upper-first key names.
#include <cctype>

#include "associations/association_def.h"

namespace relstore::detail {

namespace {
bool endsWith(const std::string& w, std::string_view suffix) {
  return w.size() >= suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool isVowel(char c) {
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
}  // namespace

const char* associationTypeName(AssociationType type) noexcept {
  switch (type) {
    case AssociationType::HasOne: return "hasOne";
    case AssociationType::BelongsTo: return "belongsTo";
    case AssociationType::HasMany: return "hasMany";
    case AssociationType::BelongsToMany: return "belongsToMany";
  }
  return "?";
}

std::string pluralize(const std::string& word) {
  if (word.empty()) return word;
  if (endsWith(word, "y") && word.size() > 1 && !isVowel(word[word.size() - 2])) {
    return word.substr(0, word.size() - 1) + "ies";
  }
  for (std::string_view s : {"s", "x", "z", "ch", "sh"}) {
    if (endsWith(word, s)) return word + "es";
  }
  return word + "s";
}

std::string defaultAlias(AssociationType type, const std::string& targetName) {
  return isToOne(type) ? targetName : pluralize(targetName);
}

std::string singularize(const std::string& word) {
  if (endsWith(word, "ies") && word.size() > 3) return word.substr(0, word.size() - 3) + "y";
  for (std::string_view s : {"ses", "xes", "zes", "ches", "shes"}) {
    if (endsWith(word, s)) return word.substr(0, word.size() - 2);
  }
  if (endsWith(word, "s") && word.size() > 1) return word.substr(0, word.size() - 1);
  return word;
}

std::string upperFirst(std::string word) {
  if (!word.empty()) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
  return word;
}

}  // namespace relstore::detail
