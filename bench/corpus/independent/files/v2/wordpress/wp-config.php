<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Kangaroo4404&weX' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'D[PXA}/ZzRa(Q[yB7ecFYT++5a%#^oK<k7bqL6lvz4BrInA[4i=*|qW^VEk[3?eU');
define('SECURE_AUTH_KEY',         '=NZh1Z*Xxm;XpEvq1LaXh|]s:s8)x~aepeF[XjRM3Pr?7FCX{-%4bT/&DRRToHJ.');
define('LOGGED_IN_KEY',         '~<s]tuE]Uk>=s>BP*Vrbl7E,CBjvj,msU:&f;JxCuPFLNCS4;.-SJTd/]O)AR0<>');
define('NONCE_KEY',         '>f&+RN3gcko8Y<Wkh]_pa2uq#M{g+0lPF<hLl:N[SFx9HPBLlD[5nbCXJq%O/v-e');
define('AUTH_SALT',         's+%({E&,3MHyBy#bGd,#e?r4cC~6CBs8:(RcKUL>e_J1V<AiFAwg5}OJwP0zuW8G');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
