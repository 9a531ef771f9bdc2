const jsforce = require('jsforce');

async function query(soql) {
  const conn = new jsforce.Connection({ loginUrl: 'https://login.salesforce.com' });
  await conn.login('integration@corp.test', 'Tr0ub4dor713!OCP');
  return conn.query(soql);
}

async function queryFromEnv(soql) {
  const conn = new jsforce.Connection();
  await conn.login(process.env.SF_USER, process.env.SF_PASSWORD);
  return conn.query(soql);
}
