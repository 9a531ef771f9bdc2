<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Kangaroo5831*o7B' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'lw%c5mE%CpCjxtN_/b2%Be]P!xADAt%%uf_vGz?z:aM-gb]o<N(MKcG8d<t8T>LM');
define('SECURE_AUTH_KEY',         '#3_SfixmXA]TU)MPRNQao70cP-iCGabn*(wHw5^x@2PGvwx{:n<1vPVZb+R&Z@Tk');
define('LOGGED_IN_KEY',         'p;XX4&2^z8OX.SgUEac,^oSqO&eDDa,x^B/-q.|N7*)VW6=>RjQ>V9pl#+7>(y_O');
define('NONCE_KEY',         'N[(Z#~7,{}P5v7o&y*)cwF}{c}j/:x^slA|@_+YLQZvHhu/0VdOnqfE!}{x_@dgu');
define('AUTH_SALT',         '<CQe}oi%Ud@re:+Dg=b0v29sh;J:kn85;5*hCd&wrau^/3!3?^ZbWhAiz~F]Ca=2');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
