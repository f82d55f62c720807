// Placeholder dispatcher; replaced as the commands land.
console.log('streamgate: usage: ./streamgate up|test|serve|kafka');
