package policy

// SayNumber is sayNumber, for the tests.
var SayNumber = sayNumber
