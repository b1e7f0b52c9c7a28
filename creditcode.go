package safetyrisk

import "strings"

// GB 32100-2015: the unified social credit code is 18 characters from the alphabet
// below (no I, O, Z, S, V); the last is a check character: C18 = 31 - (sum of Ci*Wi
// mod 31), with 31 written as 0.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheck returns the check character for the first 17 characters of a code,
// or false when one of them is not in the GB 32100 alphabet.
func CreditCodeCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c], true
}

// ValidCreditCode reports whether s is an 18-character code with a correct check
// character (GB 32100-2015). Callers fold width and case first.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	c, ok := CreditCodeCheck(s[:17])
	return ok && c == s[17]
}
