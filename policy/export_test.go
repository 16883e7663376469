package policy

// SayNumber is sayNumber, for the tests.
var SayNumber = sayNumber

// ReadTime is readTime, for the tests.
var ReadTime = readTime
