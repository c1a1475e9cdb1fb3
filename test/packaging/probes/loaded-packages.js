// The npm packages a process has loaded, read from require.cache (scoped names included).
module.exports = function loadedPackages() {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?!.*[\\/]node_modules[\\/])/.exec(file);
    if (match) names.add(match[1].replace(/\\/g, '/'));
  }
  return [...names].sort();
};
