package domain

// Statements the tests EXPLAIN.
const TrueUpLinesSQL = trueUpLines
