<?php
/** The name of the database for WordPress */
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_admin' );
define( 'DB_PASSWORD', 'Moonlight6291&gO7' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define('AUTH_KEY',         'O9k0bF!uV]uOGPXKCIyO_6oXJLq08Pl=EEV=.BPD~<8u}lKV38Ww4LF)I6((~^5e');
define('SECURE_AUTH_KEY',         '5T/V*wOh{ERo&0qWHYa-m2H;9m!V_S?5eSAF:VnbLfT#/(yMh~k>E~wWB>WismjG');
define('LOGGED_IN_KEY',         'ePwYQ3<**}ZVTLuh474xK?CXpuH{O?@o=(f.knn4a6~ZR+V2*rEW:/FQGt~4J^?J');
define('NONCE_KEY',         '#bzW]A17ggD.Uk9<}x<+h/@6KIee<-z}vJCfYswwnQ;}50~XYFa<09RJsZYIPak?');
define('AUTH_SALT',         ']z?m?3|s+u{,4~EuJ3jnC8?a9Y-8[pREH)g6q82D|bI+zp:^E4izRZWJBMFohbqF');
define( 'NONCE_SALT', 'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }
